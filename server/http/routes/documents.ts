import { Router } from 'express';
import { z } from 'zod';
import { lockBody, cancelDocumentBody, completeDocumentBody, createDocumentBody, decideMappingBody, documentListQuery, stationContextBody } from '../../contract/dock.js';
import { idParam } from '../../contract/http.js';
import type { AuthService, SessionContext } from '../../services/auth.service.js';
import type { Dock } from '../../services/dock/index.js';
import type { StationService } from '../../services/station.service.js';
import { assertReady, STATION_BUSINESS } from '../../services/station-access.js';
import { parseOr400 } from '../../validate.js';
import { expectedTmpDir, readExpectedFile } from '../../services/dock/expected-file.js';
import { ctxOf } from '../guard.js';

const businessOf = (direction: 'in' | 'out') => (direction === 'in' ? 'receiving' : 'dispatch');
const unitOf = (ctx: SessionContext): number => {
  assertReady(ctx);
  return ctx.unitId!;
};
const mappingQuery = z.object({ status: z.enum(['pending', 'active', 'rejected', 'retired']).optional(), productId: z.coerce.number().int().positive().optional(), limit: z.coerce.number().int().min(1).max(500).default(100) });
const codeParam = z.string().trim().min(1).max(100);

/** Screens showing a document hear about changes made elsewhere (another desk, the office). */
async function notifyStationsOn(dock: Dock, documentId: number): Promise<void> {
  for (const stationId of await dock.contexts.stationsOn(documentId)) dock.notify(stationId);
}

/** Documents, station context, code lookups and mapping approvals (issue 5). */
export function documentsRouter(dock: Dock, auth: AuthService, stations: StationService): Router {
  const r = Router();

  r.get('/documents', async (req, res) => void res.json(await dock.documents.list(unitOf(ctxOf(res)), parseOr400(documentListQuery, req.query))));
  r.post('/documents', async (req, res) => {
    const body = parseOr400(createDocumentBody, req.body);
    const ctx = ctxOf(res);
    const { unitId } = await auth.authorize(ctx, businessOf(body.direction));
    const created = await dock.documents.create({ operatorId: ctx.operatorId, unitId }, body);
    if (body.stationId !== undefined) dock.notify(body.stationId);
    res.status(201).json(created);
  });
  r.get('/documents/:id', async (req, res) => void res.json(await dock.documents.detail(unitOf(ctxOf(res)), parseOr400(idParam, req.params.id))));
  // Expected content from a supplier's list (CSV or XLSX as the raw body): codes, or product lines.
  r.post('/documents/:id/expected', async (req, res) => {
    const ctx = ctxOf(res);
    const id = parseOr400(idParam, req.params.id);
    const format = parseOr400(z.object({ format: z.enum(['csv', 'xlsx']).optional() }), req.query).format;
    const doc = await dock.documents.require(unitOf(ctx), id);
    const { unitId } = await auth.authorize(ctx, businessOf(doc.direction));
    const expected = await readExpectedFile(req, expectedTmpDir(dock.dataDir), format);
    const detail = await dock.documents.addExpected(unitId, id, expected);
    await notifyStationsOn(dock, id);
    res.json(detail);
  });
  r.post('/documents/:id/complete', async (req, res) => {
    const ctx = ctxOf(res);
    const id = parseOr400(idParam, req.params.id);
    const body = parseOr400(completeDocumentBody, req.body ?? {});
    const doc = await dock.documents.require(unitOf(ctx), id);
    const { unitId } = await auth.authorize(ctx, businessOf(doc.direction));
    const done = await dock.documents.complete({ operatorId: ctx.operatorId, unitId }, id, body.acceptShort);
    await notifyStationsOn(dock, id);
    res.json(done);
  });
  r.post('/documents/:id/cancel', async (req, res) => {
    const ctx = ctxOf(res);
    const id = parseOr400(idParam, req.params.id);
    const body = parseOr400(cancelDocumentBody, req.body);
    const doc = await dock.documents.require(unitOf(ctx), id);
    const { unitId } = await auth.authorize(ctx, businessOf(doc.direction));
    const cancelled = await dock.documents.cancel({ operatorId: ctx.operatorId, unitId }, id, body.reason);
    await notifyStationsOn(dock, id);
    res.json(cancelled);
  });

  r.get('/stations/:id/context', async (req, res) => {
    const station = await stations.require(parseOr400(idParam, req.params.id));
    res.json(await dock.contexts.view(station.id));
  });
  r.post('/stations/:id/context', async (req, res) => {
    const ctx = ctxOf(res);
    const station = await stations.require(parseOr400(idParam, req.params.id));
    const body = parseOr400(stationContextBody, req.body);
    const { unitId } = await auth.authorize(ctx, STATION_BUSINESS[station.kind]);
    const view = await dock.contexts.set(station.id, station.kind, unitId, body);
    dock.notify(station.id);
    res.json(view);
  });

  r.get('/codes/:code', async (req, res) => void res.json(await dock.codes.view(unitOf(ctxOf(res)), parseOr400(codeParam, req.params.code))));

  // Recall / quarantine: a supervisor's act (business masterdata), with the reason in the journal.
  for (const action of ['lock', 'unlock'] as const) {
    r.post(`/codes/:code/${action}`, async (req, res) => {
      const ctx = ctxOf(res);
      const { unitId } = await auth.authorize(ctx, 'masterdata');
      const { reason } = parseOr400(lockBody, req.body);
      res.json(await dock.codes[action]({ operatorId: ctx.operatorId, unitId }, parseOr400(codeParam, req.params.code), reason));
    });
  }

  r.get('/mappings', async (req, res) => void res.json(await dock.mappings.list(parseOr400(mappingQuery, req.query))));
  r.get('/mappings/:id/history', async (req, res) => void res.json(await dock.mappings.history(parseOr400(idParam, req.params.id))));
  r.post('/mappings/:id/decide', async (req, res) => {
    const ctx = ctxOf(res);
    await auth.authorize(ctx, 'masterdata');
    const body = parseOr400(decideMappingBody, req.body);
    res.json(await dock.mappings.decide(ctx.operatorId, parseOr400(idParam, req.params.id), body.approve, body.note));
  });
  return r;
}
