import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { readBody, sendJson } from './http.js';
import { faultControlSchema, saleFilterSchema } from './schemas.js';
import { statsOf, type GansuState } from './state.js';

export const CONTROL_PREFIX = '/__sandbox/';

/** Control endpoints for a standalone sandbox (`npm run sandbox`): faults, stats, stored rows, calls. */
export async function handleControl(s: GansuState, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const name = url.pathname.slice(CONTROL_PREFIX.length);
  const want = name === 'faults' ? 'POST' : name === 'stats' || name === 'rows' || name === 'calls' ? 'GET' : null;
  if (want === null) return sendJson(res, 404, { error: `no control endpoint ${url.pathname}` });
  if (req.method !== want) return sendJson(res, 405, { error: `${url.pathname} takes ${want}` }, { allow: want });

  if (name === 'stats') return sendJson(res, 200, { ...statsOf(s), duplicates: s.store.duplicates() });
  if (name === 'calls') return sendJson(res, 200, s.calls.slice(-1000));
  if (name === 'rows') {
    const filter = saleFilterSchema.safeParse(Object.fromEntries(url.searchParams));
    if (!filter.success) return sendJson(res, 400, { error: 'invalid row filter', issues: z.treeifyError(filter.error) });
    return sendJson(res, 200, s.store.rows(filter.data));
  }
  const text = await readBody(req, 1 << 16);
  let raw: unknown;
  try {
    raw = JSON.parse(text ?? '');
  } catch {
    return sendJson(res, 400, { error: 'the body must be a JSON fault configuration' });
  }
  const parsed = faultControlSchema.safeParse(raw);
  if (!parsed.success) return sendJson(res, 400, { error: 'invalid fault configuration', issues: z.treeifyError(parsed.error) });
  const { force, ...patch } = parsed.data;
  const faults = s.faults.set(patch);
  if (force) s.faults.force(force);
  return sendJson(res, 200, { faults });
}
