import { Router } from 'express';
import { z } from 'zod';
import { idParam } from '../../contract/http.js';
import { codeQuery, exportBody } from '../../contract/queries.js';
import type { AuthService } from '../../services/auth.service.js';
import type { Exports } from '../../services/exports/index.js';
import { assertReady } from '../../services/station-access.js';
import type { Supervisor } from '../../services/supervisor/index.js';
import { parseOr400 } from '../../validate.js';
import { ctxOf } from '../guard.js';

// Long enough for a GS1 element string with batch, dates and serial.
const codeParam = z.string().trim().min(1).max(200);

/** Issue 8: a code's timeline, queries over the unit's codes, and export jobs. */
export function supervisorRouter(sup: Supervisor, exports: Exports, auth: AuthService): Router {
  const r = Router();
  const queryUnit = async (res: Parameters<typeof ctxOf>[0]) => {
    const ctx = ctxOf(res);
    const { unitId } = await auth.authorize(ctx, 'query');
    return { unitId, operatorId: ctx.operatorId };
  };

  // Every worker at the unit may ask where a box has been (the dock's own lookup shows the same).
  r.get('/codes/:code/history', async (req, res) => {
    const ctx = ctxOf(res);
    assertReady(ctx);
    res.json(await sup.timeline.timeline(ctx.unitId!, parseOr400(codeParam, req.params.code)));
  });

  r.get('/codes', async (req, res) => {
    const { unitId } = await queryUnit(res);
    const q = parseOr400(codeQuery, req.query);
    if (q.format === 'json') return void res.json(await sup.queries.page(unitId, q));
    // NDJSON: a page of rows at a time with backpressure, so a million matches never load at once.
    res.type('application/x-ndjson');
    for await (const rows of sup.queries.stream(unitId, q)) {
      if (!res.write(rows.map((row) => JSON.stringify(row)).join('\n') + '\n')) await new Promise((resolve) => res.once('drain', resolve));
      if (res.destroyed) return;
    }
    res.end();
  });

  r.get('/exports', async (_req, res) => {
    const { unitId } = await queryUnit(res);
    res.json(await exports.service.list(unitId));
  });
  r.post('/exports', async (req, res) => {
    const a = await queryUnit(res);
    res.status(202).json(await exports.service.create(a.unitId, a.operatorId, parseOr400(exportBody, req.body)));
  });
  r.get('/exports/:id', async (req, res) => {
    const { unitId } = await queryUnit(res);
    res.json(await exports.service.view(unitId, parseOr400(idParam, req.params.id)));
  });
  r.post('/exports/:id/rerun', async (req, res) => {
    const a = await queryUnit(res);
    res.status(202).json(await exports.service.rerun(a.unitId, a.operatorId, parseOr400(idParam, req.params.id)));
  });
  r.get('/exports/:id/file', async (req, res) => {
    const { unitId } = await queryUnit(res);
    const f = await exports.service.file(unitId, parseOr400(idParam, req.params.id));
    res.type(f.type);
    await new Promise<void>((resolve, reject) => res.download(f.path, f.name, (err) => (err && !res.headersSent ? reject(err) : resolve())));
  });
  return r;
}
