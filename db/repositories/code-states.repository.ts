import { subtreeCte } from './packs.repository.js';
import { rawRows, type Queryable } from './tx.js';

/** Where a code stands at one unit (DOMAIN.md §4). `not_seen` is the absence of a row. */
export type CodeState = 'receiving' | 'in_stock' | 'picking' | 'shipped' | 'returned' | 'scrapped' | 'locked' | 'sold';

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

  /**
   * Codes packed under `root` that may not move with it, with their state (`not_seen` for no row):
   * receiving needs them unseen (or already on this document); picking needs them in stock.
   */
  async subtreeBlockers(q: Queryable, unitId: number, root: string, mode: 'receive' | 'pick', documentId: number, allowShipped = false, limit = 5): Promise<{ count: number; sample: Array<{ code: string; state: string }> }> {
    const cte = subtreeCte(root);
    const blocked =
      mode === 'receive'
        ? `cs.code IS NOT NULL AND NOT (cs.state = 'receiving' AND cs.document_id = ?)${allowShipped ? " AND cs.state <> 'shipped'" : ''}`
        : `(cs.code IS NULL OR (cs.state <> 'in_stock' AND NOT (cs.state = 'picking' AND cs.document_id = ?)))`;
    const list = rawRows<{ code: string; state: string; n: number | string }>(
      await q.raw(
      `${cte.sql} SELECT sub.code, COALESCE(cs.state, 'not_seen') AS state, COUNT(*) OVER () AS n
       FROM sub LEFT JOIN code_states cs ON cs.unit_id = ? AND cs.code = sub.code
       WHERE sub.code <> ? AND ${blocked} ORDER BY sub.code LIMIT ?`,
        [...cte.bindings, unitId, root, documentId, limit],
      ),
    );
    return { count: Number(list[0]?.n ?? 0), sample: list.map((r) => ({ code: r.code, state: r.state })) };
  }
}
