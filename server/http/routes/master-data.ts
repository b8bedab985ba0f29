import { Router, type Request, type Response } from 'express';
import { idParam } from '../../contract/http.js';
import { importReportId, type ImportKind, type ImportRejectedBody } from '../../contract/master-data.js';
import { AppError } from '../../services/app-error.js';
import type { AuthService } from '../../services/auth.service.js';
import { LocalizedAppError } from '../../services/localized-error.js';
import type { MasterData } from '../../services/master-data/index.js';
import { parseOr400 } from '../../validate.js';
import { langOf } from '../errors.js';
import { ctxOf } from '../guard.js';

/**
 * Products, counterparties, imports and templates. Reads need a ready session (mounted after
 * `ready`); writes, imports and error reports need the `masterdata` business.
 *
 * Imports take the file itself as the request body (any Content-Type but JSON), streamed to disk
 * with a size limit: `POST /api/imports/products?mode=all|valid-only&format=xlsx|csv`. The format
 * is sniffed from the bytes when not given.
 */
export function masterDataRouter(md: MasterData, auth: AuthService): Router {
  const r = Router();
  const id = (v: unknown) => parseOr400(idParam, v);
  // `q` etc. arrive as strings; the services validate them with the contract's query schemas.
  const query = (req: Request) => req.query as Record<string, string>;

  r.get('/products', async (req, res) => void res.json(await md.products.list(query(req))));
  r.post('/products', async (req, res) => void res.status(201).json(await md.products.create(ctxOf(res), req.body)));
  r.get('/products/:id', async (req, res) => void res.json(await md.products.get(id(req.params.id))));
  r.patch('/products/:id', async (req, res) => void res.json(await md.products.update(ctxOf(res), id(req.params.id), req.body)));

  r.get('/counterparties', async (req, res) => void res.json(await md.counterparties.list(ctxOf(res), query(req))));
  r.post('/counterparties', async (req, res) => void res.status(201).json(await md.counterparties.create(ctxOf(res), req.body)));
  r.get('/counterparties/:id', async (req, res) => void res.json(await md.counterparties.get(ctxOf(res), id(req.params.id))));
  r.patch('/counterparties/:id', async (req, res) => void res.json(await md.counterparties.update(ctxOf(res), id(req.params.id), req.body)));

  const importRoute = (kind: ImportKind) => async (req: Request, res: Response) => {
    // express.json() already read a JSON body; a spreadsheet never is one.
    if (req.is('application/json')) throw new LocalizedAppError('IMPORT_FILE_INVALID', 400, { 'zh-CN': '请直接上传文件本身，而不是 JSON', en: 'Send the file itself as the body, not JSON' });
    const length = Number(req.headers['content-length']);
    const { report, rejected } = await md.imports.run(ctxOf(res), kind, req, query(req), { lang: langOf(req), ...(Number.isFinite(length) ? { contentLength: length } : {}) });
    if (!rejected) return void res.json(report);
    const body = new AppError('IMPORT_HAS_ERRORS', 422).body(langOf(req));
    res.status(422).json({ error: { code: 'IMPORT_HAS_ERRORS', message: body.message, messages: body.messages }, report } satisfies ImportRejectedBody);
  };
  r.post('/imports/products', importRoute('products'));
  r.post('/imports/counterparties', importRoute('counterparties'));

  r.get('/imports/:id/report.xlsx', async (req, res) => {
    // The report repeats the uploaded rows: the same right as the import itself.
    const { unitId } = await auth.authorize(ctxOf(res), 'masterdata');
    const report = md.reports.resolve(unitId, parseOr400(importReportId, req.params.id));
    res.download(report.file, report.downloadName);
  });

  for (const kind of ['products', 'counterparties'] as const) {
    for (const format of ['xlsx', 'csv'] as const) {
      r.get(`/templates/${kind}.${format}`, async (_req, res) => {
        const t = await md.templates.get(kind, format);
        res.attachment(t.fileName).type(t.contentType).send(t.body);
      });
    }
  }
  return r;
}
