import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import { relationExportQuery, relationImportIdParam, relationImportQuery, relationImportsQuery, type RelationFormat } from '../../contract/relations.js';
import { AppError } from '../../services/app-error.js';
import type { AuthService } from '../../services/auth.service.js';
import { LocalizedAppError } from '../../services/localized-error.js';
import type { RelationService } from '../../services/relations/index.js';
import { parseOr400 } from '../../validate.js';
import { ctxOf } from '../guard.js';

/** A million-code relation XML is ~95 MB; 512 MB leaves room for verbose producers. */
export const MAX_RELATION_FILE_BYTES = 512 * 1024 * 1024;

/**
 * Package-relation files. The import body is the file itself (any Content-Type but JSON), read
 * straight into the streaming reader — never buffered, never written to disk:
 * `POST /api/relations/import?format=xml|csv&name=…` needs the `aggregation` business;
 * the import list and exports need `aggregation` or `query`.
 */
export function relationsRouter(relations: RelationService, auth: AuthService): Router {
  const r = Router();
  const reader = async (res: Response): Promise<number> => {
    const ctx = ctxOf(res);
    try {
      return (await auth.authorize(ctx, 'aggregation')).unitId;
    } catch {
      return (await auth.authorize(ctx, 'query')).unitId;
    }
  };

  r.post('/import', async (req, res) => {
    const ctx = ctxOf(res);
    const { unitId } = await auth.authorize(ctx, 'aggregation');
    const q = parseOr400(relationImportQuery, req.query);
    // express.json() has already consumed a JSON body; a relation file never is one.
    if (req.is('application/json')) {
      throw new LocalizedAppError('RELATION_FILE_INVALID', 400, { 'zh-CN': '请直接上传文件本身作为请求内容，不要用 JSON', en: 'Send the file itself as the request body, not JSON' });
    }
    if (Number(req.headers['content-length']) > MAX_RELATION_FILE_BYTES) throw new AppError('RELATION_FILE_TOO_LARGE', 413);
    const fileName = q.name ?? 'relations';
    const body = limitedBody(req, MAX_RELATION_FILE_BYTES);
    try {
      const result = await relations.import(body, { fileName, format: q.format ?? formatOf(fileName, req), unitId, operatorId: ctx.operatorId });
      res.status(201).json(result);
    } catch (err) {
      body.destroy();
      drainRest(req);
      throw err;
    }
  });

  r.get('/imports', async (req, res) => {
    const unitId = await reader(res);
    const q = parseOr400(relationImportsQuery, req.query);
    res.json(await relations.list(unitId, q.before, q.limit));
  });

  r.get('/imports/:id', async (req, res) => {
    const unitId = await reader(res);
    res.json(await relations.get(unitId, parseOr400(relationImportIdParam, req.params).id));
  });

  r.get('/export', async (req, res) => {
    const unitId = await reader(res);
    const q = parseOr400(relationExportQuery, req.query);
    const { fileName, stream } = await relations.export(unitId, q.roots ? { roots: q.roots } : { importId: q.importId! });
    res.attachment(fileName).type('application/xml; charset=utf-8');
    try {
      await pipeline(stream, res);
    } catch (err) {
      // Headers are gone; a cut connection is the only honest signal left (the client sees no closing tag).
      res.destroy(err as Error);
    }
  });
  return r;
}

function formatOf(fileName: string, req: Request): RelationFormat {
  if (/\.csv$/i.test(fileName) || req.is('text/csv')) return 'csv';
  return 'xml';
}

/** A client that sends nothing for this long is gone (or stuck); its import must not hold the slot. */
const IDLE_MS = 60_000;

/**
 * The request body with a byte limit and an idle limit. The request is only unpiped on error, never
 * destroyed by the reader, so the answer still reaches the client.
 */
function limitedBody(req: Request, maxBytes: number): Readable {
  let bytes = 0;
  const limited = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      idle.refresh();
      done(bytes > maxBytes ? new AppError('RELATION_FILE_TOO_LARGE', 413) : null, chunk);
    },
  });
  const abort = () => {
    if (!req.complete && !limited.destroyed) limited.destroy(new AppError('RELATION_UPLOAD_ABORTED', 400));
  };
  const idle = setTimeout(() => {
    if (req.complete) return;
    abort();
    req.destroy();
  }, IDLE_MS).unref();
  // The import reads the errors through its iterator; this listener only keeps an error that comes
  // when nobody is reading (a refused import) from being an uncaught 'error' event.
  limited.on('error', () => {});
  limited.on('close', () => clearTimeout(idle));
  req.once('error', abort);
  req.once('close', abort);
  req.pipe(limited);
  return limited;
}

/** After a refusal the client may still be sending: read and drop the rest (bounded) so it gets the answer. */
function drainRest(req: Request): void {
  if (req.complete || req.destroyed) return;
  req.unpipe();
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > MAX_RELATION_FILE_BYTES) req.destroy();
  });
  req.resume();
}
