import type { Knex } from 'knex';
import { inJsonList, insertJsonRows, type JsonColumn } from './json-bulk.js';
import type { Queryable } from './tx.js';

/**
 * The three-code mapping rows (`product_codes`) as master data writes them: a GTIN or a 7-digit
 * trace prefix per product and packaging level. Every change leaves a `product_code_events` row,
 * so who mapped which code when survives retirement.
 */
export type IdentifierKind = 'gtin' | 'prefix';

/**
 * Master data stores GTIN-14; a scanner reports EAN-13 or GTIN-14, older rows may hold 8/12/13
 * digits. Every spelling of one GTIN, for a single `IN (…)` lookup.
 */
export const gtinSpellings = (gtin: string): string[] => [...new Set([gtin, gtin.replace(/^0+(?=\d{8}$|\d{12,13}$)/, ''), gtin.padStart(14, '0')])];
export type IdentifierStatus = 'pending' | 'active' | 'rejected' | 'retired';

export interface ProductCodeRow {
  id: number;
  productId: number;
  level: number;
  kind: IdentifierKind;
  value: string;
  status: IdentifierStatus;
  proposedBy: number | null;
  proposedAt: number;
  decidedBy: number | null;
  decidedAt: number | null;
}

export interface IdentifierOwner {
  kind: IdentifierKind;
  value: string;
  level: number;
  productId: number;
  productCode: string;
  productName: string;
}

export interface NewIdentifier {
  productId: number;
  level: number;
  kind: IdentifierKind;
  value: string;
}

export type ProductCodeRecord = {
  id: number | string;
  product_id: number | string;
  level: number | string;
  kind: string;
  value: string;
  status: string;
  proposed_by: number | null;
  proposed_at: number | string;
  decided_by: number | null;
  decided_at: number | string | null;
};

export const toProductCodeRow = (r: ProductCodeRecord): ProductCodeRow => ({
  id: Number(r.id),
  productId: Number(r.product_id),
  level: Number(r.level),
  kind: r.kind as IdentifierKind,
  value: r.value,
  status: r.status as IdentifierStatus,
  proposedBy: r.proposed_by === null ? null : Number(r.proposed_by),
  proposedAt: Number(r.proposed_at),
  decidedBy: r.decided_by === null ? null : Number(r.decided_by),
  decidedAt: r.decided_at === null ? null : Number(r.decided_at),
});

const CODE_COLUMNS: JsonColumn[] = [
  { name: 'product_id', type: 'integer' },
  { name: 'level', type: 'integer' },
  { name: 'kind', type: 'text' },
  { name: 'value', type: 'text' },
  { name: 'status', type: 'text' },
  { name: 'proposed_by', type: 'integer' },
  { name: 'proposed_at', type: 'bigint' },
  { name: 'decided_by', type: 'integer' },
  { name: 'decided_at', type: 'bigint' },
];
const EVENT_COLUMNS: JsonColumn[] = [
  { name: 'product_code_id', type: 'integer' },
  { name: 'action', type: 'text' },
  { name: 'operator_id', type: 'integer' },
  { name: 'at', type: 'bigint' },
  { name: 'detail', type: 'text' },
];

export class ProductIdentifiersRepository {
  async listFor(q: Queryable, productIds: readonly number[], statuses: readonly IdentifierStatus[] = ['active', 'pending']): Promise<ProductCodeRow[]> {
    if (!productIds.length) return [];
    const rows = (await q('product_codes')
      .whereRaw(...inJsonList(q, 'product_id', productIds, 'integer'))
      .whereIn('status', [...statuses])
      .orderBy(['product_id', 'kind', 'level', 'id'])) as ProductCodeRecord[];
    return rows.map(toProductCodeRow);
  }

  /** Who holds each of `values` (of one kind) actively: narrow rows, as an import asks for thousands. */
  async activeOwners(q: Queryable, kind: IdentifierKind, values: readonly string[]): Promise<IdentifierOwner[]> {
    if (!values.length) return [];
    const rows = (await q('product_codes as c')
      .join('products as p', 'p.id', 'c.product_id')
      .where({ 'c.kind': kind, 'c.status': 'active' })
      .whereRaw(...inJsonList(q, 'c.value', [...new Set(values)], 'text'))
      .select('c.value', 'c.level', 'p.id', 'p.code', 'p.name')) as Array<{ value: string; level: number | string; id: number | string; code: string; name: string }>;
    return rows.map((r) => ({ kind, value: r.value, level: Number(r.level), productId: Number(r.id), productCode: r.code, productName: r.name }));
  }

  async retire(trx: Knex.Transaction, ids: readonly number[], operatorId: number | null, now: number, detail: Record<string, unknown>): Promise<void> {
    if (!ids.length) return;
    await trx('product_codes').whereRaw(...inJsonList(trx, 'id', ids, 'integer')).update({ status: 'retired' });
    await this.events(trx, ids, 'retired', operatorId, now, detail);
  }

  /** Master data is authoritative: its mappings are active at once, proposed and decided by the same operator. */
  async insertActive(trx: Knex.Transaction, items: readonly NewIdentifier[], operatorId: number | null, now: number, detail: Record<string, unknown>): Promise<void> {
    if (!items.length) return;
    const rows = items.map((i) => [i.productId, i.level, i.kind, i.value, 'active', operatorId, now, operatorId, now]);
    const inserted = await insertJsonRows(trx, 'product_codes', CODE_COLUMNS, rows, { returning: ['id'] });
    await this.events(
      trx,
      inserted.map((r) => Number(r.id)),
      'imported',
      operatorId,
      now,
      detail,
    );
  }

  private async events(trx: Knex.Transaction, ids: readonly number[], action: 'imported' | 'retired', operatorId: number | null, now: number, detail: Record<string, unknown>): Promise<void> {
    const text = JSON.stringify(detail);
    await insertJsonRows(trx, 'product_code_events', EVENT_COLUMNS, ids.map((id) => [id, action, operatorId, now, text]));
  }
}
