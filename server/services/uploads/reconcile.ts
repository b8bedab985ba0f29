import type { Knex } from 'knex';
import { OutboxRepository } from '../../../db/repositories/outbox.repository.js';
import { withWriteTx } from '../../../db/repositories/tx.js';
import type { ReconcileResultView } from '../../contract/uploads.js';
import type { NhsaClient, QueryParams } from '../../platforms/nhsa/client.js';
import type { Credentials } from '../../platforms/nhsa/envelope.js';
import type { CanonicalRecord, UploadOperation } from '../../platforms/nhsa/profile.schema.js';
import { AppError } from '../app-error.js';
import { chinaDate, chinaDayStart, DAY_MS as DAY } from '../../domain/china-time.js';
import { recordIdentity, rowIdentities } from './matching.js';


export interface ReconcileDeps {
  knex: Knex;
  client: () => NhsaClient;
  credentials: (unitId: number) => Promise<Credentials | null>;
  now: () => number;
}

type Raw = Record<string, unknown>;

/**
 * The daily check: everything the workstation believes the platform accepted on a day (or of a
 * production batch) is looked up there; whatever the platform does not hold is queued again, with
 * a ledger event saying so. A query that fails changes nothing.
 */
export async function reconcile(d: ReconcileDeps, by: { date: string } | { batch: string }, unitId?: number): Promise<ReconcileResultView & { batch?: string }> {
  const pg = (d.knex.client.config.client as string) === 'pg';
  let b = d.knex('upload_records').where({ platform: 'nhsa', state: 'accepted' });
  if ('date' in by) b = b.where('accepted_at', '>=', chinaDayStart(by.date)).where('accepted_at', '<', chinaDayStart(by.date) + DAY);
  else b = b.whereRaw(pg ? `(payload::json->>'batch') = ?` : `json_extract(payload, '$.batch') = ?`, [by.batch]);
  if (unitId) b = b.where({ unit_id: unitId });
  const records = (await b.select('id', 'unit_id', 'operation', 'code', 'payload')) as Raw[];
  const client = d.client();
  const missing: ReconcileResultView['missing'] = [];
  let found = 0;
  const byUnit = new Map<number, Raw[]>();
  for (const r of records) byUnit.set(Number(r.unit_id), [...(byUnit.get(Number(r.unit_id)) ?? []), r]);
  for (const [unit, rs] of byUnit) {
    const creds = await d.credentials(unit);
    if (!creds) throw new AppError('UPLOAD_QUERY_FAILED', 502);
    // The platform stored each call just before we saw its answer: near midnight that is the day before.
    const asks: Array<['queryByDate' | 'queryByBatch', QueryParams]> =
      'date' in by ? [['queryByDate', { date: chinaDate(chinaDayStart(by.date) - DAY) }], ['queryByDate', { date: by.date }]] : [['queryByBatch', { batch: by.batch }]];
    const rows: Array<Record<string, unknown>> = [];
    for (const [op, params] of asks) {
      const a = await client.query(op, creds, params);
      if (!a.ok) throw new AppError('UPLOAD_QUERY_FAILED', 502);
      rows.push(...a.rows);
    }
    const held = new Map<string, Set<string>>();
    for (const r of rs) {
      const op = String(r.operation) as UploadOperation;
      if (!held.has(op)) held.set(op, rowIdentities(client.profile, op, rows));
      const id = recordIdentity(client.profile, op, JSON.parse(String(r.payload)) as CanonicalRecord);
      if (id !== null && held.get(op)!.has(id)) found++;
      else missing.push({ recordId: Number(r.id), operation: op, code: (r.code as string | null) ?? null });
    }
  }
  if (missing.length) {
    const at = d.now();
    const repo = new OutboxRepository();
    await withWriteTx(d.knex, (trx) =>
      repo.transition(trx, missing.map((m) => m.recordId), ['accepted'], 'pending', { batchId: null, event: 'reconciled-missing', message: '对账：平台未找到该记录，已重新排队 / reconciliation: not on the platform, queued again', at, nextAttemptAt: at }),
    );
  }
  return { date: 'date' in by ? by.date : '', ...('batch' in by ? { batch: by.batch } : {}), checked: records.length, found, missing };
}
