import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { readBody, sendJson } from './http.js';
import { CONTROL_PREFIX } from './routes.js';
import { faultControlSchema, rowFilterSchema } from './schemas.js';
import { statsOf, type SandboxState } from './state.js';

/** Control endpoints for a standalone sandbox (`npm run sandbox`): faults, stats, stored rows. */
export async function handleControl(s: SandboxState, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const name = url.pathname.slice(CONTROL_PREFIX.length);
  const want = name === 'faults' ? 'POST' : name === 'stats' || name === 'rows' ? 'GET' : null;
  if (want === null) return sendJson(res, 404, { error: `no control endpoint ${url.pathname}` });
  if (req.method !== want) return sendJson(res, 405, { error: `${url.pathname} takes ${want}` }, { allow: want });

  if (name === 'stats') return sendJson(res, 200, { ...statsOf(s), duplicates: s.store.duplicates() });
  if (name === 'rows') {
    const filter = rowFilterSchema.safeParse(Object.fromEntries(url.searchParams));
    if (!filter.success) return sendJson(res, 400, { error: 'invalid row filter', issues: z.treeifyError(filter.error) });
    return sendJson(res, 200, s.store.rows(filter.data));
  }
  const text = await readBody(req);
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
