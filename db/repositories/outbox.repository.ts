import { inJsonList } from './json-bulk.js';
import { insertedId, rawRows, type Queryable } from './tx.js';

export type UploadState = 'pending' | 'sending' | 'unknown' | 'accepted' | 'rejected' | 'skipped' | 'manual';
export const UPLOAD_STATES: readonly UploadState[] = ['pending', 'sending', 'unknown', 'accepted', 'rejected', 'skipped', 'manual'];

export interface OutboxRecord {
  id: number;
  unitId: number;
  operation: string;
  recordKey: string;
  code: string | null;
  documentId: number | null;
  payload: Record<string, string | number | null>;
  state: UploadState;
  attempts: number;
  batchId: number | null;
  message: string | null;
  createdAt: number;
  updatedAt: number;
  acceptedAt: number | null;
}

type Raw = Record<string, unknown>;
const toRecord = (r: Raw): OutboxRecord => ({
  id: Number(r.id),
  unitId: Number(r.unit_id),
  operation: String(r.operation),
  recordKey: String(r.record_key),
  code: (r.code as string | null) ?? null,
  documentId: r.document_id === null || r.document_id === undefined ? null : Number(r.document_id),
  payload: JSON.parse(String(r.payload)) as OutboxRecord['payload'],
  state: r.state as UploadState,
  attempts: Number(r.attempts),
  batchId: r.batch_id === null || r.batch_id === undefined ? null : Number(r.batch_id),
  message: (r.message as string | null) ?? null,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  acceptedAt: r.accepted_at === null || r.accepted_at === undefined ? null : Number(r.accepted_at),
});

export interface BatchOpen {
  /** Default `nhsa`. */
  platform?: 'nhsa' | 'gansu';
  unitId: number;
  operation: string;
  channel: 'api' | 'manual' | 'query';
  recordIds: readonly number[];
  paramText: string | null;
  at: number;
}

export interface LedgerEvent {
  recordIds: readonly number[];
  batchId: number | null;
  event: string;
  message: string | null;
  operatorId?: number | null;
  at: number;
}

/**
 * The outbox's state machine over `upload_records`, with every transition also written to the
 * append-only `upload_events` ledger in the same statement group. All changes are set-based over
 * the ids of a call, never a statement per record.
 */
export class OutboxRepository {
  /** (unit, operation) pairs with records due now, oldest first. */
  async dueGroups(q: Queryable, state: 'pending' | 'unknown', now: number): Promise<Array<{ unitId: number; operation: string }>> {
    const rows = (await q('upload_records')
      .where({ platform: 'nhsa', state })
      .where('next_attempt_at', '<=', now)
      .groupBy('unit_id', 'operation')
      .select('unit_id', 'operation')
      .min({ first: 'id' })
      .orderBy('first')) as Raw[];
    return rows.map((r) => ({ unitId: Number(r.unit_id), operation: String(r.operation) }));
  }

  /** The next due records of one group, in order (the caller packs a call from them). */
  async due(q: Queryable, unitId: number, operation: string, state: 'pending' | 'unknown', now: number, limit: number): Promise<OutboxRecord[]> {
    let b = q('upload_records').where({ platform: 'nhsa', unit_id: unitId, operation, state }).where('next_attempt_at', '<=', now).orderBy('id').limit(limit);
    // Several workstations sharing one PostgreSQL database must not claim the same records.
    if ((q.client.config.client as string) === 'pg') b = b.forUpdate().skipLocked();
    return ((await b.select('*')) as Raw[]).map(toRecord);
  }

  /**
   * Of these records, the ones still unknown from the same call as when they were read: a slow
   * resolution must not act on a record that was sent again (and became unknown again) meanwhile.
   */
  async stillUnknownFrom(q: Queryable, seen: ReadonlyArray<{ id: number; batchId: number | null }>): Promise<number[]> {
    if (seen.length === 0) return [];
    const [inSql, inBindings] = inJsonList(q, 'id', seen.map((r) => r.id), 'integer');
    const now = new Map(((await q('upload_records').whereRaw(inSql, inBindings).where({ state: 'unknown' }).select('id', 'batch_id')) as Raw[]).map((r) => [Number(r.id), r.batch_id === null ? null : Number(r.batch_id)]));
    return seen.filter((r) => now.has(r.id) && now.get(r.id) === r.batchId).map((r) => r.id);
  }

  async get(q: Queryable, id: number): Promise<OutboxRecord | undefined> {
    const r = (await q('upload_records').where({ id }).first()) as Raw | undefined;
    return r ? toRecord(r) : undefined;
  }

  async ofBatch(q: Queryable, batchId: number): Promise<OutboxRecord[]> {
    return ((await q('upload_records').where({ batch_id: batchId }).orderBy('id')) as Raw[]).map(toRecord);
  }

  async openBatch(q: Queryable, b: BatchOpen): Promise<number> {
    const rows = await q('upload_batches')
      .insert({ unit_id: b.unitId, platform: b.platform ?? 'nhsa', operation: b.operation, channel: b.channel, record_count: b.recordIds.length, param_text: b.paramText, outcome: 'sending', created_at: b.at })
      .returning('id');
    return insertedId(rows);
  }

  async closeBatch(q: Queryable, batchId: number, c: { outcome: string; httpStatus?: number | null; message?: string | null; ms?: number | null; at: number }): Promise<void> {
    await q('upload_batches').where({ id: batchId }).update({ outcome: c.outcome, http_status: c.httpStatus ?? null, message: c.message ?? null, round_trip_ms: c.ms === undefined || c.ms === null ? null : Math.round(c.ms), finished_at: c.at });
  }

  /**
   * Moves records to a state and logs the event. `fromStates` guards the transition so a record
   * that moved meanwhile (skipped by a supervisor, resolved by another worker) is left alone.
   */
  async transition(
    q: Queryable,
    ids: readonly number[],
    fromStates: readonly UploadState[],
    to: UploadState,
    e: Omit<LedgerEvent, 'recordIds'> & { nextAttemptAt?: number; countAttempt?: boolean; onlyBatch?: number },
  ): Promise<number> {
    if (ids.length === 0) return 0;
    const [inSql, inBindings] = inJsonList(q, 'id', ids, 'integer');
    const patch: Record<string, unknown> = { state: to, updated_at: e.at, message: e.message };
    if (e.batchId !== null) patch.batch_id = e.batchId;
    if (e.nextAttemptAt !== undefined) patch.next_attempt_at = e.nextAttemptAt;
    if (to === 'accepted') patch.accepted_at = e.at;
    if (e.countAttempt) patch.attempts = q.raw('attempts + 1');
    let b = q('upload_records').whereRaw(inSql, inBindings).whereIn('state', [...fromStates]);
    if (e.onlyBatch !== undefined) b = b.where({ batch_id: e.onlyBatch });
    const moved = await b.update(patch, ['id']);
    const movedIds = rawRows<{ id: number | string }>(moved).map((r) => Number(typeof r === 'object' ? r.id : r));
    await this.log(q, { ...e, recordIds: movedIds });
    return movedIds.length;
  }

  async log(q: Queryable, e: LedgerEvent): Promise<void> {
    if (e.recordIds.length === 0) return;
    const [inSql, inBindings] = inJsonList(q, 'id', e.recordIds, 'integer');
    await q.raw(
      `INSERT INTO upload_events (record_id, batch_id, unit_id, operation, code, event, message, operator_id, at)
       SELECT id, ?, unit_id, operation, code, ?, ?, ?, ? FROM upload_records WHERE ${inSql}`,
      [e.batchId, e.event, e.message, e.operatorId ?? null, e.at, ...inBindings],
    );
  }

  /**
   * Calls that were on their way when their worker died (kill -9, power cut) may have been stored:
   * their records become unknown, for a query to decide. `claimedBefore` spares calls another
   * workstation sharing the database still has in flight (each call ends within its timeout).
   */
  async interrupted(q: Queryable, at: number, resolveAt: number, claimedBefore: number): Promise<number> {
    const ids = ((await q('upload_records').where({ platform: 'nhsa', state: 'sending' }).where('updated_at', '<', claimedBefore).select('id')) as Raw[]).map((r) => Number(r.id));
    if (ids.length === 0) return 0;
    const [inSql, inBindings] = inJsonList(q, 'id', ids, 'integer');
    const batches = q('upload_records').whereRaw(inSql, inBindings).whereNotNull('batch_id').select('batch_id');
    await q('upload_batches').whereIn('id', batches).where({ outcome: 'sending' }).update({ outcome: 'interrupted', finished_at: at });
    return this.transition(q, ids, ['sending'], 'unknown', { batchId: null, event: 'interrupted', message: 'the call was on its way when its workstation stopped', at, nextAttemptAt: resolveAt });
  }
}
