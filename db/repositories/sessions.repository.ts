import type { Knex } from 'knex';
import type { Queryable } from './tx.js';

export interface SessionRow {
  id: number;
  tokenHash: string;
  operatorId: number;
  unitId: number | null;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

interface SessionRecord {
  id: number;
  token_hash: string;
  operator_id: number;
  unit_id: number | null;
  created_at: number | string;
  last_seen_at: number | string;
  expires_at: number | string;
  revoked_at: number | string | null;
}

const toRow = (r: SessionRecord): SessionRow => ({
  id: Number(r.id),
  tokenHash: r.token_hash,
  operatorId: Number(r.operator_id),
  unitId: r.unit_id === null ? null : Number(r.unit_id),
  createdAt: Number(r.created_at),
  lastSeenAt: Number(r.last_seen_at),
  expiresAt: Number(r.expires_at),
  revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
});

export class SessionsRepository {
  constructor(private readonly knex: Knex) {}

  async insert(trx: Knex.Transaction, s: { tokenHash: string; operatorId: number; expiresAt: number }, now: number): Promise<SessionRow> {
    const [row] = await trx<SessionRecord>('sessions')
      .insert({ token_hash: s.tokenHash, operator_id: s.operatorId, unit_id: null, created_at: now, last_seen_at: now, expires_at: s.expiresAt })
      .returning('*');
    if (!row) throw new Error('insert returned no row');
    return toRow(row);
  }

  async findByTokenHash(tokenHash: string, q: Queryable = this.knex): Promise<SessionRow | undefined> {
    const row = await q<SessionRecord>('sessions').where({ token_hash: tokenHash }).first();
    return row ? toRow(row) : undefined;
  }

  async touch(id: number, now: number, q: Queryable = this.knex): Promise<void> {
    await q('sessions').where({ id }).whereNull('revoked_at').update({ last_seen_at: now });
  }

  async setUnit(trx: Knex.Transaction, id: number, unitId: number, now: number): Promise<void> {
    await trx('sessions').where({ id }).update({ unit_id: unitId, last_seen_at: now });
  }

  async revoke(trx: Knex.Transaction, id: number, now: number): Promise<boolean> {
    return (await trx('sessions').where({ id }).whereNull('revoked_at').update({ revoked_at: now })) > 0;
  }

  /** Ends every open session of an operator (password change, disable, reset): one statement. */
  async revokeAllFor(trx: Knex.Transaction, operatorId: number, now: number, exceptId?: number): Promise<number> {
    const q = trx('sessions').where({ operator_id: operatorId }).whereNull('revoked_at');
    if (exceptId !== undefined) q.whereNot('id', exceptId);
    return q.update({ revoked_at: now });
  }

  /** Housekeeping: drops sessions that ended more than `keepMs` ago. */
  async purge(before: number, q: Queryable = this.knex): Promise<number> {
    return q('sessions').where('expires_at', '<', before).orWhere('revoked_at', '<', before).del();
  }
}
