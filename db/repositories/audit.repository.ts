import type { Knex } from 'knex';
import type { Queryable } from './tx.js';

export interface AuditRow {
  seq: number;
  at: number;
  actorId: number | null;
  actor: string;
  action: string;
  unitId: number | null;
  /** The stored JSON text (parsed by the service, so a damaged row is reported, not thrown). */
  detail: string;
  prevHash: string;
  hash: string;
}

interface AuditRecord {
  seq: number | string;
  at: number | string;
  actor_id: number | null;
  actor: string;
  action: string;
  unit_id: number | null;
  detail: string;
  prev_hash: string;
  hash: string;
}

const toRow = (r: AuditRecord): AuditRow => ({
  seq: Number(r.seq),
  at: Number(r.at),
  actorId: r.actor_id === null ? null : Number(r.actor_id),
  actor: r.actor,
  action: r.action,
  unitId: r.unit_id === null ? null : Number(r.unit_id),
  detail: r.detail,
  prevHash: r.prev_hash,
  hash: r.hash,
});

const HEAD_KEY = 'audit_head';

/** The append-only audit_log plus its sealed head in `meta`. */
export class AuditRepository {
  constructor(private readonly knex: Knex) {}

  async tail(q: Queryable = this.knex): Promise<AuditRow | undefined> {
    const row = await q<AuditRecord>('audit_log').orderBy('seq', 'desc').first();
    return row ? toRow(row) : undefined;
  }

  async insert(trx: Knex.Transaction, e: AuditRow): Promise<void> {
    await trx('audit_log').insert({
      seq: e.seq,
      at: e.at,
      actor_id: e.actorId,
      actor: e.actor,
      action: e.action,
      unit_id: e.unitId,
      detail: e.detail,
      prev_hash: e.prevHash,
      hash: e.hash,
    });
  }

  /** Keyset page in chain order: entries with seq > after. */
  async pageAfter(after: number, limit: number, q: Queryable = this.knex): Promise<AuditRow[]> {
    return (await q<AuditRecord>('audit_log').where('seq', '>', after).orderBy('seq').limit(limit)).map(toRow);
  }

  /** Newest first, for the admin page. */
  async list(filter: { before?: number; action?: string; limit: number }, q: Queryable = this.knex): Promise<AuditRow[]> {
    const query = q<AuditRecord>('audit_log').orderBy('seq', 'desc').limit(filter.limit);
    if (filter.before !== undefined) query.where('seq', '<', filter.before);
    if (filter.action !== undefined) query.where('action', filter.action);
    return (await query).map(toRow);
  }

  async count(q: Queryable = this.knex): Promise<number> {
    const row = (await q('audit_log').count({ n: '*' }).first()) as { n: number | string } | undefined;
    return Number(row?.n ?? 0);
  }

  async head(q: Queryable = this.knex): Promise<string | undefined> {
    const row = (await q('meta').where({ key: HEAD_KEY }).first('value')) as { value: string } | undefined;
    return row?.value;
  }

  async setHead(trx: Knex.Transaction, value: string): Promise<void> {
    await trx('meta').insert({ key: HEAD_KEY, value }).onConflict('key').merge(['value']);
  }
}
