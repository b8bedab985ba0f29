import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { readBody, sendJson } from './http.js';
import type { Duplicate } from './types.js';

/** Outside every path either platform uses, so a control call can never be mistaken for an operation. */
export const CONTROL_PREFIX = '/__sandbox/';

/** What the control endpoints and the programmatic controls reach of one sandbox. */
export interface ControlTarget<F, R, S extends object> {
  /** The sandbox's state, or the part of it these endpoints reach. */
  state: {
    faults: { set(patch: unknown): unknown; force(kinds: unknown): void };
    store: { rows(filter: F): R[]; duplicates(): Duplicate[] };
  };
  schemas: {
    /** The fault patch plus `force`. */
    faultControl: z.ZodType<{ force?: unknown }>;
    rowFilter: z.ZodType<F>;
  };
  /** A fault configuration is small; anything larger is refused before parsing. */
  bodyLimit: number;
  stats(): S;
  /** Only a sandbox that logs its calls has `calls`. */
  calls?: () => unknown;
}

/**
 * Control endpoints for a standalone sandbox (`npm run sandbox`): POST faults; GET stats, rows and
 * (where the sandbox keeps them) calls.
 */
export async function handleControl<F, R, S extends object>(t: ControlTarget<F, R, S>, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const name = url.pathname.slice(CONTROL_PREFIX.length);
  const want = name === 'faults' ? 'POST' : name === 'stats' || name === 'rows' || (name === 'calls' && t.calls) ? 'GET' : null;
  if (want === null) return sendJson(res, 404, { error: `no control endpoint ${url.pathname}` });
  if (req.method !== want) return sendJson(res, 405, { error: `${url.pathname} takes ${want}` }, { allow: want });

  if (name === 'stats') return sendJson(res, 200, { ...t.stats(), duplicates: t.state.store.duplicates() });
  if (name === 'calls' && t.calls) return sendJson(res, 200, t.calls());
  if (name === 'rows') {
    const filter = t.schemas.rowFilter.safeParse(Object.fromEntries(url.searchParams));
    if (!filter.success) return sendJson(res, 400, { error: 'invalid row filter', issues: z.treeifyError(filter.error) });
    return sendJson(res, 200, t.state.store.rows(filter.data));
  }
  const text = await readBody(req, t.bodyLimit);
  let raw: unknown;
  try {
    raw = JSON.parse(text ?? '');
  } catch {
    return sendJson(res, 400, { error: 'the body must be a JSON fault configuration' });
  }
  const parsed = t.schemas.faultControl.safeParse(raw);
  if (!parsed.success) return sendJson(res, 400, { error: 'invalid fault configuration', issues: z.treeifyError(parsed.error) });
  const { force, ...patch } = parsed.data;
  const faults = t.state.faults.set(patch);
  if (force) t.state.faults.force(force);
  return sendJson(res, 200, { faults });
}
