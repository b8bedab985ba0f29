import crypto from 'node:crypto';

/**
 * The audit log is a hash chain: entry n carries hash(n−1), and its own hash covers that link
 * plus every field of the entry. Editing, deleting or re-ordering any row breaks the link at that
 * row (the verifier names it). The triggers make the table append-only; the chain proves it was.
 */
export const GENESIS_HASH = '0'.repeat(64);

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface AuditEntryFields {
  seq: number;
  at: number;
  actorId: number | null;
  actor: string;
  action: string;
  unitId: number | null;
  detail: { [key: string]: JsonValue };
}

export interface ChainedEntry extends AuditEntryFields {
  prevHash: string;
  hash: string;
}

/** JSON with object keys sorted at every level: one byte sequence per value, on every platform. */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no representation for a non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k]!)}`).join(',')}}`;
}

export function entryHash(prevHash: string, e: AuditEntryFields): string {
  const body: JsonValue = { seq: e.seq, at: e.at, actorId: e.actorId, actor: e.actor, action: e.action, unitId: e.unitId, detail: e.detail };
  return crypto.createHash('sha256').update(prevHash).update(canonicalJson(body)).digest('hex');
}

export type BrokenReason = 'seq_gap' | 'prev_hash_mismatch' | 'hash_mismatch' | 'unreadable' | 'head_mismatch';

export interface BrokenLink {
  seq: number;
  reason: BrokenReason;
  detail: string;
}

export interface ChainCursor {
  seq: number;
  hash: string;
}

export const CHAIN_START: ChainCursor = { seq: 0, hash: GENESIS_HASH };

/** Checks one entry against its predecessor; undefined when the link holds. */
export function checkLink(prev: ChainCursor, e: ChainedEntry): BrokenLink | undefined {
  if (e.seq !== prev.seq + 1) return { seq: e.seq, reason: 'seq_gap', detail: `expected entry ${prev.seq + 1}, found ${e.seq}` };
  if (e.prevHash !== prev.hash) return { seq: e.seq, reason: 'prev_hash_mismatch', detail: `entry ${e.seq} does not point at the hash of entry ${prev.seq}` };
  if (entryHash(e.prevHash, e) !== e.hash) return { seq: e.seq, reason: 'hash_mismatch', detail: `entry ${e.seq} was altered after it was written` };
  return undefined;
}

export interface ChainReport {
  ok: boolean;
  count: number;
  last: ChainCursor;
  broken?: BrokenLink;
}

/** Verifies entries in seq order, starting after `from` (page through large logs). */
export function verifyChain(entries: Iterable<ChainedEntry>, from: ChainCursor = CHAIN_START): ChainReport {
  let prev = from;
  let count = 0;
  for (const e of entries) {
    const broken = checkLink(prev, e);
    if (broken) return { ok: false, count, last: prev, broken };
    prev = { seq: e.seq, hash: e.hash };
    count++;
  }
  return { ok: true, count, last: prev };
}
