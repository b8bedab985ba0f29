import type { GansuSaleRow } from '../../gansu/rows.js';
import { JsonlStore } from '../common/jsonl-store.js';
import { storedSaleSchema } from './schemas.js';
import type { SaleFilter, StoredSale } from './types.js';

/**
 * "The same row": every field, keys sorted. The platform has no row id, so two identical rows are
 * the only trace of a client that sent a call twice. Two genuine identical sales in one second to
 * anonymous buyers would look the same; tests use distinct rows.
 */
export function saleIdentity(row: GansuSaleRow): string {
  const r = row as Record<string, unknown>;
  return JSON.stringify(Object.keys(r).sort().filter((k) => r[k] !== undefined && r[k] !== '').map((k) => [k, r[k]]));
}

export type NewSale = Omit<StoredSale, 'seq'>;

export class SaleStore extends JsonlStore<StoredSale> {
  constructor(file?: string) {
    super(storedSaleSchema, (sale) => saleIdentity(sale.row), 'Gansu sandbox store', file);
  }

  rows(filter: SaleFilter = {}): StoredSale[] {
    return this.all
      .filter((r) => (filter.loginId === undefined || r.loginId === filter.loginId) && (filter.uscc === undefined || r.uscc === filter.uscc) && (filter.appKey === undefined || r.appKey === filter.appKey))
      .map((r) => ({ ...r, row: { ...r.row } }));
  }
}
