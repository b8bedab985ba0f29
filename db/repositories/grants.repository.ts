import type { Knex } from 'knex';
import type { Queryable } from './tx.js';

export type BusinessRow = 'receiving' | 'dispatch' | 'aggregation' | 'retail' | 'upload' | 'query' | 'masterdata' | 'admin';

export interface GrantRow {
  operatorId: number;
  unitId: number;
  business: BusinessRow;
  grantedAt: number;
  grantedBy: number | null;
}

export interface BindingRow {
  operatorId: number;
  unitId: number;
  createdAt: number;
}

interface GrantRecord {
  operator_id: number;
  unit_id: number;
  business: string;
  granted_at: number | string;
  granted_by: number | null;
}

const toGrant = (r: GrantRecord): GrantRow => ({
  operatorId: Number(r.operator_id),
  unitId: Number(r.unit_id),
  business: r.business as BusinessRow,
  grantedAt: Number(r.granted_at),
  grantedBy: r.granted_by === null ? null : Number(r.granted_by),
});

/** Operator ↔ unit bindings (operator_units) and per-unit business grants. */
export class GrantsRepository {
  constructor(private readonly knex: Knex) {}

  async bindings(filter: { operatorIds?: readonly number[]; unitId?: number } = {}, q: Queryable = this.knex): Promise<BindingRow[]> {
    const query = q('operator_units').select('operator_id', 'unit_id', 'created_at').orderBy(['operator_id', 'unit_id']);
    if (filter.operatorIds) query.whereIn('operator_id', [...filter.operatorIds]);
    if (filter.unitId !== undefined) query.where('unit_id', filter.unitId);
    const rows = (await query) as Array<{ operator_id: number; unit_id: number; created_at: number | string }>;
    return rows.map((r) => ({ operatorId: Number(r.operator_id), unitId: Number(r.unit_id), createdAt: Number(r.created_at) }));
  }

  async isBound(operatorId: number, unitId: number, q: Queryable = this.knex): Promise<boolean> {
    return (await q('operator_units').where({ operator_id: operatorId, unit_id: unitId }).first('operator_id')) !== undefined;
  }

  /** Returns false when the binding already existed. */
  async bind(trx: Knex.Transaction, operatorId: number, unitId: number, now: number): Promise<boolean> {
    const rows = await trx('operator_units').insert({ operator_id: operatorId, unit_id: unitId, created_at: now }).onConflict(['operator_id', 'unit_id']).ignore().returning('operator_id');
    return rows.length > 0;
  }

  /** Removes the binding and every grant that depended on it (caller's transaction). */
  async unbind(trx: Knex.Transaction, operatorId: number, unitId: number): Promise<{ unbound: boolean; revoked: BusinessRow[] }> {
    const revoked = await this.businessesOf(operatorId, unitId, trx);
    await trx('grants').where({ operator_id: operatorId, unit_id: unitId }).del();
    const n = await trx('operator_units').where({ operator_id: operatorId, unit_id: unitId }).del();
    return { unbound: n > 0, revoked };
  }

  async list(filter: { operatorIds?: readonly number[]; unitId?: number; business?: BusinessRow } = {}, q: Queryable = this.knex): Promise<GrantRow[]> {
    const query = q<GrantRecord>('grants').select('operator_id', 'unit_id', 'business', 'granted_at', 'granted_by').orderBy(['operator_id', 'unit_id', 'business']);
    if (filter.operatorIds) query.whereIn('operator_id', [...filter.operatorIds]);
    if (filter.unitId !== undefined) query.where('unit_id', filter.unitId);
    if (filter.business !== undefined) query.where('business', filter.business);
    return (await query).map(toGrant);
  }

  async businessesOf(operatorId: number, unitId: number, q: Queryable = this.knex): Promise<BusinessRow[]> {
    const rows = (await q('grants').where({ operator_id: operatorId, unit_id: unitId }).orderBy('business').select('business')) as Array<{ business: string }>;
    return rows.map((r) => r.business as BusinessRow);
  }

  async has(operatorId: number, unitId: number, business: BusinessRow, q: Queryable = this.knex): Promise<boolean> {
    return (await q('grants').where({ operator_id: operatorId, unit_id: unitId, business }).first('id')) !== undefined;
  }

  /**
   * Inserts one grant; an identical grant is a no-op (returns false). A second holder of the
   * upload business violates grants_one_uploader_uq and throws — the caller maps it.
   */
  async grant(trx: Knex.Transaction, g: Omit<GrantRow, 'grantedAt'>, now: number): Promise<boolean> {
    const rows = await trx('grants')
      .insert({ operator_id: g.operatorId, unit_id: g.unitId, business: g.business, granted_at: now, granted_by: g.grantedBy })
      .onConflict(['operator_id', 'unit_id', 'business'])
      .ignore()
      .returning('id');
    return rows.length > 0;
  }

  async revoke(trx: Knex.Transaction, operatorId: number, unitId: number, business: BusinessRow): Promise<boolean> {
    return (await trx('grants').where({ operator_id: operatorId, unit_id: unitId, business }).del()) > 0;
  }
}
