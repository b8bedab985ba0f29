import { Router, type Response } from 'express';
import { z } from 'zod';
import { idParam } from '../../contract/http.js';
import { manualExportBody } from '../../contract/uploads.js';
import type { AuthService } from '../../services/auth.service.js';
import type { Uploads } from '../../services/uploads/index.js';
import { XLSX_TYPE, type ManualActor } from '../../services/uploads/manual-export.js';
import { notAFile } from '../../services/uploads/manual-report.js';
import { parseOr400 } from '../../validate.js';
import { ctxOf } from '../guard.js';

const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50), before: z.coerce.number().int().positive().optional() });
const reportQuery = z.object({ format: z.enum(['csv', 'xlsx']).optional() });
const confirmBody = z.object({}).strict();
const cancelBody = z.object({ reason: z.string().trim().min(2).max(500) }).strict();

/**
 * The manual-upload fallback (issue 6 §6, the portal's 网页上传): export pending records as the
 * portal's import file, then import the portal's error report, confirm, or cancel. Every route
 * needs the unit's `upload` business.
 *
 *   GET  /uploads/manual-exports                 ?limit&before — the unit's exports, newest first
 *   POST /uploads/manual-exports                 {operation, recordIds?} → 201 {batchId, operation, count, refused, file}
 *   GET  /uploads/manual-exports/:id             one export
 *   GET  /uploads/manual-exports/:id/file        the XLSX import file
 *   POST /uploads/manual-exports/:id/report      the error report as the raw body (XLSX; CSV with ?format=csv) → {accepted, rejected}
 *   POST /uploads/manual-exports/:id/confirm     {} — the portal reported no errors → {accepted, rejected: []}
 *   POST /uploads/manual-exports/:id/cancel      {reason} — not uploaded after all → {cancelled}
 */
export function manualUploadsRouter(uploads: Uploads, auth: AuthService): Router {
  const manual = uploads.manual;
  const r = Router();
  const actor = async (res: Response): Promise<ManualActor> => {
    const ctx = ctxOf(res);
    const { unitId } = await auth.authorize(ctx, 'upload');
    return { unitId, operatorId: ctx.operatorId };
  };
  const id = (v: unknown) => parseOr400(idParam, v);

  r.get('/uploads/manual-exports', async (req, res) => {
    const { unitId } = await actor(res);
    res.json(await manual.list(unitId, parseOr400(listQuery, req.query)));
  });
  r.post('/uploads/manual-exports', async (req, res) => {
    const a = await actor(res);
    res.status(201).json(await manual.create(a, parseOr400(manualExportBody, req.body ?? {})));
  });
  r.get('/uploads/manual-exports/:id', async (req, res) => {
    const { unitId } = await actor(res);
    res.json(await manual.get(unitId, id(req.params.id)));
  });
  r.get('/uploads/manual-exports/:id/file', async (req, res) => {
    const { unitId } = await actor(res);
    const file = await manual.file(unitId, id(req.params.id));
    res.attachment(file.fileName).type(XLSX_TYPE);
    try {
      await file.write(res);
    } catch (err) {
      // The status line is gone: a cut connection is the only honest answer to a half-written file.
      if (!res.headersSent) throw err;
      res.destroy(err as Error);
    }
  });
  r.post('/uploads/manual-exports/:id/report', async (req, res) => {
    const a = await actor(res);
    const exportId = id(req.params.id);
    const { format } = parseOr400(reportQuery, req.query);
    // express.json() already read a JSON body; a report never is one.
    if (req.is('application/json')) throw notAFile();
    res.json(await manual.importReport(a, exportId, req, format));
  });
  r.post('/uploads/manual-exports/:id/confirm', async (req, res) => {
    const a = await actor(res);
    parseOr400(confirmBody, req.body ?? {});
    res.json(await manual.confirm(a, id(req.params.id)));
  });
  r.post('/uploads/manual-exports/:id/cancel', async (req, res) => {
    const a = await actor(res);
    const b = parseOr400(cancelBody, req.body ?? {});
    res.json(await manual.cancel(a, id(req.params.id), b.reason));
  });
  return r;
}
