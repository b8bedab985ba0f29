import type { Knex } from 'knex';
import type { Queryable } from './tx.js';

export type UnitTypeRow = 'manufacturer' | 'distributor' | 'retail' | 'hospital';

/** Encrypted credential columns (AES-GCM text; decrypted only by the service that needs them). */
export const UNIT_SECRET_COLUMNS = ['nhsa_ak_enc', 'nhsa_sk_enc', 'gansu_login_id_enc', 'gansu_password_enc', 'gansu_public_key_enc', 'gansu_app_key_enc'] as const;
export type UnitSecretColumn = (typeof UNIT_SECRET_COLUMNS)[number];

export interface UnitRow {
  id: number;
  name: string;
  uscc: string;
  type: UnitTypeRow;
  address: string | null;
  disabled: boolean;
  secrets: Record<UnitSecretColumn, string | null>;
  createdAt: number;
  updatedAt: number;
}

type UnitRecord = { id: number; name: string; uscc: string; type: string; address: string | null; disabled: number | boolean; created_at: number | string; updated_at: number | string } & Record<
  UnitSecretColumn,
  string | null
>;

const toRow = (r: UnitRecord): UnitRow => ({
  id: Number(r.id),
  name: r.name,
  uscc: r.uscc,
  type: r.type as UnitTypeRow,
  address: r.address,
  disabled: Boolean(r.disabled),
  secrets: Object.fromEntries(UNIT_SECRET_COLUMNS.map((c) => [c, r[c]])) as Record<UnitSecretColumn, string | null>,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export interface NewUnit {
  name: string;
  uscc: string;
  type: UnitTypeRow;
  address: string | null;
  secrets: Partial<Record<UnitSecretColumn, string | null>>;
}

export interface UnitPatch {
  name?: string;
  type?: UnitTypeRow;
  address?: string | null;
  disabled?: boolean;
  secrets?: Partial<Record<UnitSecretColumn, string | null>>;
}

export class UnitsRepository {
  constructor(private readonly knex: Knex) {}

  async list(q: Queryable = this.knex): Promise<UnitRow[]> {
    return (await q<UnitRecord>('units').select('*').orderBy('id')).map(toRow);
  }

  async get(id: number, q: Queryable = this.knex): Promise<UnitRow | undefined> {
    const row = await q<UnitRecord>('units').where({ id }).first();
    return row ? toRow(row) : undefined;
  }

  async getMany(ids: readonly number[], q: Queryable = this.knex): Promise<UnitRow[]> {
    if (ids.length === 0) return [];
    return (await q<UnitRecord>('units').whereIn('id', [...ids]).orderBy('id')).map(toRow);
  }

  async findByUscc(uscc: string, q: Queryable = this.knex): Promise<UnitRow | undefined> {
    const row = await q<UnitRecord>('units').where({ uscc }).first();
    return row ? toRow(row) : undefined;
  }

  async insert(trx: Knex.Transaction, u: NewUnit, now: number): Promise<UnitRow> {
    const [row] = await trx<UnitRecord>('units')
      .insert({ name: u.name, uscc: u.uscc, type: u.type, address: u.address, ...u.secrets, created_at: now, updated_at: now })
      .returning('*');
    if (!row) throw new Error('insert returned no row');
    return toRow(row);
  }

  async update(trx: Knex.Transaction, id: number, p: UnitPatch, now: number): Promise<UnitRow | undefined> {
    const record: Record<string, unknown> = { updated_at: now, ...p.secrets };
    if (p.name !== undefined) record.name = p.name;
    if (p.type !== undefined) record.type = p.type;
    if (p.address !== undefined) record.address = p.address;
    if (p.disabled !== undefined) record.disabled = p.disabled;
    const [row] = await trx<UnitRecord>('units').where({ id }).update(record).returning('*');
    return row ? toRow(row as UnitRecord) : undefined;
  }
}
