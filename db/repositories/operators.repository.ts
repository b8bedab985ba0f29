import type { Knex } from 'knex';
import type { Queryable } from './tx.js';

export interface OperatorRow {
  id: number;
  username: string;
  displayName: string;
  /** AES-GCM text, see server/security/field-crypto.ts. */
  phoneEnc: string | null;
  idNumberEnc: string | null;
  passwordHash: string;
  mustChangePassword: boolean;
  passwordChangedAt: number;
  failedCount: number;
  lockedUntil: number | null;
  disabled: boolean;
  isAdmin: boolean;
  badgeHash: string | null;
  pinHash: string | null;
  createdAt: number;
  updatedAt: number;
}

interface OperatorRecord {
  id: number;
  username: string;
  display_name: string;
  phone_enc: string | null;
  id_number_enc: string | null;
  password_hash: string;
  must_change_password: number | boolean;
  password_changed_at: number | string;
  failed_count: number;
  locked_until: number | string | null;
  disabled: number | boolean;
  is_admin: number | boolean;
  badge_hash: string | null;
  pin_hash: string | null;
  created_at: number | string;
  updated_at: number | string;
}

const toRow = (r: OperatorRecord): OperatorRow => ({
  id: Number(r.id),
  username: r.username,
  displayName: r.display_name,
  phoneEnc: r.phone_enc,
  idNumberEnc: r.id_number_enc,
  passwordHash: r.password_hash,
  mustChangePassword: Boolean(r.must_change_password),
  passwordChangedAt: Number(r.password_changed_at),
  failedCount: Number(r.failed_count),
  lockedUntil: r.locked_until === null ? null : Number(r.locked_until),
  disabled: Boolean(r.disabled),
  isAdmin: Boolean(r.is_admin),
  badgeHash: r.badge_hash,
  pinHash: r.pin_hash,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export type NewOperator = Pick<OperatorRow, 'username' | 'displayName' | 'phoneEnc' | 'idNumberEnc' | 'passwordHash' | 'mustChangePassword' | 'isAdmin'>;
export type OperatorPatch = Partial<
  Pick<OperatorRow, 'displayName' | 'phoneEnc' | 'idNumberEnc' | 'passwordHash' | 'mustChangePassword' | 'passwordChangedAt' | 'failedCount' | 'lockedUntil' | 'disabled' | 'isAdmin' | 'badgeHash' | 'pinHash'>
>;

const COLUMNS: Record<keyof OperatorPatch, keyof OperatorRecord> = {
  displayName: 'display_name',
  phoneEnc: 'phone_enc',
  idNumberEnc: 'id_number_enc',
  passwordHash: 'password_hash',
  mustChangePassword: 'must_change_password',
  passwordChangedAt: 'password_changed_at',
  failedCount: 'failed_count',
  lockedUntil: 'locked_until',
  disabled: 'disabled',
  isAdmin: 'is_admin',
  badgeHash: 'badge_hash',
  pinHash: 'pin_hash',
};

export class OperatorsRepository {
  constructor(private readonly knex: Knex) {}

  async list(q: Queryable = this.knex): Promise<OperatorRow[]> {
    return (await q<OperatorRecord>('operators').select('*').orderBy('id')).map(toRow);
  }

  async count(q: Queryable = this.knex): Promise<number> {
    const row = (await q('operators').count({ n: '*' }).first()) as { n: number | string } | undefined;
    return Number(row?.n ?? 0);
  }

  async get(id: number, q: Queryable = this.knex): Promise<OperatorRow | undefined> {
    const row = await q<OperatorRecord>('operators').where({ id }).first();
    return row ? toRow(row) : undefined;
  }

  async findByUsername(username: string, q: Queryable = this.knex): Promise<OperatorRow | undefined> {
    const row = await q<OperatorRecord>('operators').where({ username }).first();
    return row ? toRow(row) : undefined;
  }

  async findByBadgeHash(badgeHash: string, q: Queryable = this.knex): Promise<OperatorRow | undefined> {
    const row = await q<OperatorRecord>('operators').where({ badge_hash: badgeHash }).first();
    return row ? toRow(row) : undefined;
  }

  async insert(trx: Knex.Transaction, o: NewOperator, now: number): Promise<OperatorRow> {
    const [row] = await trx<OperatorRecord>('operators')
      .insert({
        username: o.username,
        display_name: o.displayName,
        phone_enc: o.phoneEnc,
        id_number_enc: o.idNumberEnc,
        password_hash: o.passwordHash,
        must_change_password: o.mustChangePassword,
        password_changed_at: now,
        is_admin: o.isAdmin,
        created_at: now,
        updated_at: now,
      })
      .returning('*');
    if (!row) throw new Error('insert returned no row');
    return toRow(row);
  }

  async update(trx: Knex.Transaction, id: number, patch: OperatorPatch, now: number): Promise<OperatorRow | undefined> {
    const record: Record<string, unknown> = { updated_at: now };
    for (const [k, v] of Object.entries(patch)) if (v !== undefined) record[COLUMNS[k as keyof OperatorPatch]] = v;
    const [row] = await trx<OperatorRecord>('operators').where({ id }).update(record).returning('*');
    return row ? toRow(row as OperatorRecord) : undefined;
  }

  /** Counts a failed login atomically (no lost update between two concurrent failures). */
  async recordFailure(trx: Knex.Transaction, id: number, now: number): Promise<number> {
    await trx('operators').where({ id }).increment('failed_count', 1).update({ updated_at: now });
    return (await this.get(id, trx))?.failedCount ?? 0;
  }
}
