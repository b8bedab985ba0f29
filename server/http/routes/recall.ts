import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { recallBatchesQuery, recallBatchQuery, recallCodesBody, recallPagingQuery, type RecallPaging } from '../../contract/recall.js';
import type { AuthService } from '../../services/auth.service.js';
import { writeRecallXlsx, XLSX_TYPE, type RecallInput, type RecallService } from '../../services/recall/index.js';
import { chinaDate } from '../../domain/china-time.js';
import { parseOr400 } from '../../validate.js';
import { ctxOf } from '../guard.js';

/**
 * Recall report (召回报告), the `query` business:
 *   GET  /recall?productId=&batch=[&sort&dir&offset&limit&rowsOnly]  summary, call list, one page of units
 *   POST /recall  {codes:[…], sort?, …}  — or the codes one per line as text/plain, paging in the query
 *   GET  /recall.xlsx?productId=&batch=   ·   POST /recall.xlsx (codes as above)   the full report, streamed
 *   GET  /recall/batches?productId=        batches of the product among this unit's units
 */
export function recallRouter(recall: RecallService, auth: AuthService): Router {
  const r = Router();
  const unitOf = (res: Response): number => res.locals.recallUnitId as number;
  // Authorised before a large pasted list is read at all.
  const allowed: RequestHandler = (_req, res, next) => {
    auth.authorize(ctxOf(res), 'query').then(({ unitId }) => {
      res.locals.recallUnitId = unitId;
      next();
    }, next);
  };
  // The app's JSON parser stops at 256 kB (≈ 10 000 codes); a list of up to 100 000 codes comes as text.
  const text = express.text({ type: 'text/plain', limit: '8mb' });

  const batchInput = (req: Request): { input: RecallInput; paging: RecallPaging } => {
    const q = parseOr400(recallBatchQuery, req.query);
    return { input: { kind: 'batch', productId: q.productId, batch: q.batch }, paging: q };
  };
  const codesInput = (req: Request): { input: RecallInput; paging: RecallPaging } => {
    if (typeof req.body === 'string') return { input: { kind: 'codes', lines: req.body.split('\n') }, paging: parseOr400(recallPagingQuery, req.query) };
    const b = parseOr400(recallCodesBody, req.body ?? {});
    return { input: { kind: 'codes', lines: b.codes }, paging: b };
  };

  const answer = async (res: Response, x: { input: RecallInput; paging: RecallPaging }) => {
    const resolved = await recall.resolve(unitOf(res), x.input);
    res.json(await recall.view(resolved, x.paging));
  };
  const file = async (res: Response, input: RecallInput) => {
    const resolved = await recall.resolve(unitOf(res), input);
    const wb = await recall.workbook(resolved);
    const label = resolved.view.kind === 'batch' ? `${resolved.view.product.code}-${resolved.view.batch}` : 'codes';
    res.attachment(`recall-${label.replace(/[^\w.-]+/g, '_')}-${chinaDate(wb.generatedAt)}.xlsx`).type(XLSX_TYPE);
    try {
      await writeRecallXlsx(res, wb);
    } catch (err) {
      // The status line is gone: a cut connection is the only honest answer to a half-written file.
      if (!res.headersSent) throw err;
      res.destroy(err as Error);
    }
  };

  r.get('/recall', allowed, async (req, res) => answer(res, batchInput(req)));
  r.post('/recall', allowed, text, async (req, res) => answer(res, codesInput(req)));
  r.get('/recall.xlsx', allowed, async (req, res) => file(res, batchInput(req).input));
  r.post('/recall.xlsx', allowed, text, async (req, res) => file(res, codesInput(req).input));
  r.get('/recall/batches', allowed, async (req, res) => {
    res.json(await recall.batches(unitOf(res), parseOr400(recallBatchesQuery, req.query).productId));
  });
  return r;
}
