import { Router } from 'express';
import { z } from 'zod';
import { idParam } from '../../contract/http.js';
import { reconcileBody, retryUploadBody, skipUploadBody, uploadRecordsQuery } from '../../contract/uploads.js';
import type { AuthService } from '../../services/auth.service.js';
import type { Uploads } from '../../services/uploads/index.js';
import { parseOr400 } from '../../validate.js';
import { ctxOf } from '../guard.js';
import { manualUploadsRouter } from './uploads-manual.js';

const codeParam = z.string().trim().min(1).max(100);

/** The upload monitor (issue 6): backlog, records, retry / skip, a code's ledger, reconciliation. */
export function uploadsRouter(uploads: Uploads, auth: AuthService): Router {
  const r = Router();
  // The upload business is granted per unit: everything here is the session unit's.
  const allowed = async (res: Parameters<typeof ctxOf>[0]) => {
    const ctx = ctxOf(res);
    const { unitId } = await auth.authorize(ctx, 'upload');
    return { unitId, operatorId: ctx.operatorId };
  };
  r.get('/uploads', async (_req, res) => {
    const a = await allowed(res);
    res.json(await uploads.monitor.summary(a.unitId));
  });
  r.get('/uploads/records', async (req, res) => {
    const a = await allowed(res);
    res.json(await uploads.monitor.records(a.unitId, parseOr400(uploadRecordsQuery, req.query)));
  });
  r.post('/uploads/reconcile', async (req, res) => {
    const a = await allowed(res);
    const b = parseOr400(reconcileBody, req.body ?? {});
    res.json(await uploads.reconcile(b.date !== undefined ? { date: b.date } : { batch: b.batch! }, a.unitId));
  });
  r.post('/uploads/:id/retry', async (req, res) => {
    const a = await allowed(res);
    const b = parseOr400(retryUploadBody, req.body ?? {});
    const v = await uploads.monitor.retry(a.unitId, a.operatorId, parseOr400(idParam, req.params.id), b.reason);
    uploads.enqueuer.wake();
    res.json(v);
  });
  r.post('/uploads/:id/skip', async (req, res) => {
    const a = await allowed(res);
    const b = parseOr400(skipUploadBody, req.body ?? {});
    const v = await uploads.monitor.skip(a.unitId, a.operatorId, parseOr400(idParam, req.params.id), b.reason);
    uploads.enqueuer.wake();
    res.json(v);
  });
  r.get('/codes/:code/uploads', async (req, res) => {
    const a = await allowed(res);
    res.json(await uploads.monitor.ledger(a.unitId, parseOr400(codeParam, req.params.code)));
  });
  r.use(manualUploadsRouter(uploads, auth));
  return r;
}
