import type { Knex } from 'knex';
import type { OutboxRecord, OutboxRepository } from '../../../db/repositories/outbox.repository.js';
import { withWriteTx } from '../../../db/repositories/tx.js';
import type { NhsaClient, QueryParams } from '../../platforms/nhsa/client.js';
import type { Credentials } from '../../platforms/nhsa/envelope.js';
import type { CanonicalRecord, UploadOperation } from '../../platforms/nhsa/profile.schema.js';
import { chinaDate } from '../../domain/china-time.js';
import { recordIdentity, rowIdentities } from './matching.js';

export interface ResolveDeps {
  knex: Knex;
  repo: OutboxRepository;
  client: NhsaClient;
  now: () => number;
}

/** Queries in flight per resolution. */
export const QUERY_POOL = 8;


/**
 * Settles records whose call may or may not have been stored (timeout after sending, dropped
 * connection, 5xx, crash mid-call) by asking the platform — by trace code, or by upload date for
 * records without one. Found → accepted without resending; absent by every query it needed →
 * pending again. A record whose query failed stays unknown for the next try; the others are
 * decided now, so a flaky platform slows resolution down but never stalls it.
 */
export async function resolveUnknown(d: ResolveDeps, operation: UploadOperation, creds: Credentials, records: OutboxRecord[]): Promise<{ accepted: number; missing: number; failed: boolean; answered: boolean }> {
  const profile = d.client.profile;
  // Each question to the platform, with the records it answers for.
  const asks = new Map<string, { op: 'queryByCode' | 'queryByDate'; params: QueryParams; records: OutboxRecord[] }>();
  const ask = (op: 'queryByCode' | 'queryByDate', params: QueryParams, r: OutboxRecord) => {
    const key = `${op}:${params.code ?? params.date}`;
    const a = asks.get(key) ?? { op, params, records: [] };
    a.records.push(r);
    asks.set(key, a);
  };
  for (const r of records) {
    if (r.code) ask('queryByCode', { code: r.code }, r);
    // The call went out between the record's last change and now: around midnight, ask both days.
    else for (const date of new Set([chinaDate(r.updatedAt), chinaDate(d.now())])) ask('queryByDate', { date }, r);
  }
  const found = new Set<number>();
  const unanswered = new Set<number>();
  const list = [...asks.values()];
  // A small pool of queries in flight (a platform that just had trouble is not flooded); a query
  // is idempotent, so a failed one is asked once more straight away.
  let next = 0;
  let answered = false;
  const worker = async () => {
    for (let a = list[next++]; a; a = list[next++]) {
      let answer = await d.client.query(a.op, creds, a.params);
      if (!answer.ok) answer = await d.client.query(a.op, creds, a.params);
      if (!answer.ok) {
        a.records.forEach((r) => unanswered.add(r.id));
        continue;
      }
      answered = true;
      const held = rowIdentities(profile, operation, answer.rows);
      for (const r of a.records) {
        const id = recordIdentity(profile, operation, r.payload as CanonicalRecord);
        if (id !== null && held.has(id)) found.add(r.id);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(QUERY_POOL, list.length) }, worker));
  const missing = records.map((r) => r.id).filter((id) => !found.has(id) && !unanswered.has(id));
  const at = d.now();
  const byId = new Map(records.map((r) => [r.id, r]));
  await withWriteTx(d.knex, async (trx) => {
    const current = new Set(await d.repo.stillUnknownFrom(trx, records.map((r) => ({ id: r.id, batchId: r.batchId }))));
    const keep = (ids: Iterable<number>) => [...ids].filter((id) => current.has(id) && byId.has(id));
    await d.repo.transition(trx, keep(found), ['unknown'], 'accepted', { batchId: null, event: 'resolved-accepted', message: '平台查询确认已接收 / the platform holds it', at });
    await d.repo.transition(trx, keep(missing), ['unknown'], 'pending', { batchId: null, event: 'resolved-missing', message: '平台查询未找到，将重新上传 / not on the platform, will be sent again', at, nextAttemptAt: at });
  });
  return { accepted: found.size, missing: missing.length, failed: unanswered.size > 0, answered };
}
