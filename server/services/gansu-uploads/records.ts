import { inJsonList } from '../../../db/repositories/json-bulk.js';
import { insertedId, type Queryable } from '../../../db/repositories/tx.js';
import type { FieldCipher } from '../../security/field-crypto.js';
import type { GansuSaleRow } from '../../platforms/gansu/rows.js';
import { GANSU_PAYLOAD_CONTEXT } from '../retail/gansu-rows.js';

/** One getToken call: an `upload_batches` row of its own (operation getToken, no records). */
export interface TokenFetch {
  at: number;
  outcome: 'accepted' | 'refused' | 'not-sent' | 'unknown';
  /** The platform's result code (200, 500 for a wrong password …); null without an answer. */
  code: number | null;
  message: string | null;
  ms: number;
}

export interface GansuRecord {
  id: number;
  row: GansuSaleRow;
}

type Raw = Record<string, unknown>;

export const GANSU_SAVE_OPERATION = 'saveSaleData';
export const GANSU_TOKEN_OPERATION = 'getToken';
const PAGE = 1_000;

/** The Gansu side of the shared outbox tables: rows are decrypted only to be sent. */
export class GansuRecords {
  constructor(private readonly cipher: FieldCipher) {}

  private decode(rows: Raw[]): GansuRecord[] {
    return rows.map((r) => ({ id: Number(r.id), row: JSON.parse(this.cipher.decrypt(String(r.payload), GANSU_PAYLOAD_CONTEXT)) as GansuSaleRow }));
  }

  /** Units with rows in this state (from the claim index alone; whether they are due is pending()'s). */
  async unitsWith(q: Queryable, state: 'pending' | 'unknown'): Promise<number[]> {
    return ((await q('upload_records').where({ platform: 'gansu', state }).distinct('unit_id')) as Raw[]).map((r) => Number(r.unit_id));
  }

  /**
   * Up to `limit` due rows in id order, read and decrypted a page at a time with a turn of the
   * event loop between pages: the workstation has one SQLite connection, and a scan at the counter
   * must not wait behind a 7 MB read and 10 000 decryptions.
   */
  async pending(q: Queryable, unitId: number, now: number, limit: number): Promise<GansuRecord[]> {
    const out: GansuRecord[] = [];
    let after = 0;
    while (out.length < limit) {
      const page = (await q('upload_records')
        .where({ platform: 'gansu', state: 'pending', unit_id: unitId })
        .where('id', '>', after)
        .where('next_attempt_at', '<=', now)
        .orderBy('id')
        .limit(Math.min(PAGE, limit - out.length))
        .select('id', 'payload')) as Raw[];
      out.push(...this.decode(page));
      if (page.length < PAGE) break;
      after = Number(page.at(-1)!.id);
      await new Promise((r) => setImmediate(r));
    }
    return out;
  }

  /** The oldest unknown call of the unit with its token and its records, in the order they were sent. */
  async unknownCall(q: Queryable, unitId: number, now: number): Promise<{ batchId: number; token: string | null; records: GansuRecord[] } | undefined> {
    const first = (await q('upload_records').where({ platform: 'gansu', unit_id: unitId, state: 'unknown' }).where('next_attempt_at', '<=', now).orderBy('id').first('batch_id')) as Raw | undefined;
    if (!first) return undefined;
    const batchId = Number(first.batch_id);
    const batch = (await q('upload_batches').where({ id: batchId }).first('token')) as { token: string | null } | undefined;
    const records = this.decode((await q('upload_records').where({ platform: 'gansu', batch_id: batchId, state: 'unknown' }).orderBy('id').select('id', 'payload')) as Raw[]);
    return { batchId, token: batch?.token ?? null, records };
  }

  async openBatch(q: Queryable, unitId: number, ids: readonly number[], at: number): Promise<number> {
    return insertedId(await q('upload_batches').insert({ unit_id: unitId, platform: 'gansu', operation: GANSU_SAVE_OPERATION, channel: 'api', record_count: ids.length, param_text: null, outcome: 'sending', created_at: at }).returning('id'));
  }

  async setToken(q: Queryable, batchId: number, token: string): Promise<void> {
    await q('upload_batches').where({ id: batchId }).update({ token });
  }

  /** Every token is a call to the platform too: the monitor shows them with their round trip. */
  async logTokenFetch(q: Queryable, unitId: number, t: TokenFetch): Promise<void> {
    await q('upload_batches').insert({ unit_id: unitId, platform: 'gansu', operation: GANSU_TOKEN_OPERATION, channel: 'api', record_count: 0, param_text: null, outcome: t.outcome, http_status: t.code, message: t.message, round_trip_ms: t.ms, created_at: t.at, finished_at: t.at });
  }

  /** After a crash: calls that got a token may have been sent (unknown); the others were not (pending). */
  async interrupted(q: Queryable, at: number): Promise<{ unknown: number[]; pending: number[] }> {
    const rows = (await q('upload_records as r').leftJoin('upload_batches as b', 'b.id', 'r.batch_id').where({ 'r.platform': 'gansu', 'r.state': 'sending' }).select('r.id', 'b.token')) as Raw[];
    const withToken = rows.filter((r) => r.token).map((r) => Number(r.id));
    const without = rows.filter((r) => !r.token).map((r) => Number(r.id));
    if (rows.length) {
      const [inSql, inBindings] = inJsonList(q, 'id', rows.map((r) => Number(r.id)), 'integer');
      await q('upload_batches').whereIn('id', q('upload_records').whereRaw(inSql, inBindings).select('batch_id')).where({ outcome: 'sending' }).update({ outcome: 'interrupted', finished_at: at });
    }
    return { unknown: withToken, pending: without };
  }
}
