import type { Queryable } from './tx.js';

/** Where a code stands at one unit (DOMAIN.md §4). `not_seen` is the absence of a row. */
export type CodeState = 'receiving' | 'in_stock' | 'picking' | 'shipped' | 'returned' | 'scrapped' | 'locked';

export interface CodeStateRow {
  unitId: number;
  code: string;
  state: CodeState;
  level: number | null;
  productId: number | null;
  batch: string | null;
  expiry: string | null;
  documentId: number | null;
  movementId: number;
  updatedAt: number;
}

interface CodeStateRecord {
  unit_id: number;
  code: string;
  state: string;
  level: number | null;
  product_id: number | null;
  batch: string | null;
  expiry: string | null;
  document_id: number | null;
  movement_id: number | string;
  updated_at: number | string;
}

export const toCodeStateRow = (r: CodeStateRecord): CodeStateRow => ({
  unitId: Number(r.unit_id),
  code: r.code,
  state: r.state as CodeState,
  level: r.level === null ? null : Number(r.level),
  productId: r.product_id === null ? null : Number(r.product_id),
  batch: r.batch,
  expiry: r.expiry,
  documentId: r.document_id === null ? null : Number(r.document_id),
  movementId: Number(r.movement_id),
  updatedAt: Number(r.updated_at),
});

export class CodeStatesRepository {
  /** The dock's hot lookup: one primary-key probe. */
  async lookup(q: Queryable, unitId: number, code: string): Promise<CodeStateRow | undefined> {
    const r = (await q('code_states').where({ unit_id: unitId, code }).first()) as CodeStateRecord | undefined;
    return r ? toCodeStateRow(r) : undefined;
  }
}
