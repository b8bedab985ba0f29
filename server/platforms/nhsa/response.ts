import { keyName } from './param.js';
import type { NhsaProfile, UploadOperationProfile } from './profile.schema.js';

/** `data.fail_list` → the value at that path, or undefined. */
export function atPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const k of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

export type UploadAnswer =
  /** The call was taken; `failures` holds the records the platform refused, by record key. */
  | { kind: 'taken'; failures: Map<string, string>; message: string; serverTime?: number }
  /** The whole call was refused (signature, ak, param …): nothing was stored. */
  | { kind: 'refused'; code: string; message: string; clock: boolean; serverTime?: number }
  /** An answer we cannot read: whether anything was stored is unknown. */
  | { kind: 'garbled'; message: string };

function serverTimeOf(profile: NhsaProfile, body: unknown): number | undefined {
  if (!profile.response.serverTime) return undefined;
  const v = Number(atPath(body, profile.response.serverTime));
  if (!Number.isFinite(v) || v <= 0) return undefined;
  // Seconds or milliseconds, whichever the platform uses.
  return v < 1e11 ? v * 1000 : v;
}

const isSuccess = (profile: NhsaProfile, code: unknown) => profile.response.successCodes.some((c) => String(c) === String(code));

/** Reads an upload answer the way the profile says success and per-record errors look. */
export function readUploadAnswer(profile: NhsaProfile, op: UploadOperationProfile, text: string): UploadAnswer {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { kind: 'garbled', message: `not JSON: ${text.slice(0, 120)}` };
  }
  const code = atPath(body, profile.response.code);
  const message = String(atPath(body, profile.response.message) ?? '');
  const serverTime = serverTimeOf(profile, body);
  if (code === undefined) return { kind: 'garbled', message: `no ${profile.response.code} in the answer` };
  if (!isSuccess(profile, code)) {
    const clock = profile.response.clockCodes.some((c) => String(c) === String(code));
    return { kind: 'refused', code: String(code), message, clock, serverTime };
  }
  const keyField = keyName(op);
  const failures = new Map<string, string>();
  const list = atPath(body, profile.response.failures.list);
  if (Array.isArray(list)) {
    for (const f of list) {
      const key = (f as Record<string, unknown>)?.[keyField];
      // A failure we cannot attribute makes every record of the call doubtful: let a query decide.
      if (key === undefined || key === null) return { kind: 'garbled', message: `a failure without ${keyField}: ${JSON.stringify(f).slice(0, 200)}` };
      failures.set(String(key), String((f as Record<string, unknown>)[profile.response.failures.message] ?? message));
    }
  }
  return { kind: 'taken', failures, message, serverTime };
}

export type QueryAnswer = { ok: true; rows: Array<Record<string, unknown>>; total?: number; serverTime?: number } | { ok: false; message: string; clock?: boolean; serverTime?: number };

export function readQueryAnswer(profile: NhsaProfile, text: string): QueryAnswer {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, message: `not JSON: ${text.slice(0, 120)}` };
  }
  const code = atPath(body, profile.response.code);
  if (!isSuccess(profile, code)) {
    const clock = profile.response.clockCodes.some((c) => String(c) === String(code));
    return { ok: false, message: `${String(code)} ${String(atPath(body, profile.response.message) ?? '')}`.trim(), clock, serverTime: serverTimeOf(profile, body) };
  }
  const list = atPath(body, profile.query.list);
  if (!Array.isArray(list)) return { ok: false, message: `no list at ${profile.query.list}` };
  const total = profile.query.total ? Number(atPath(body, profile.query.total)) : undefined;
  return { ok: true, rows: list as Array<Record<string, unknown>>, total: Number.isFinite(total) ? total : undefined, serverTime: serverTimeOf(profile, body) };
}
