import type { Knex } from 'knex';
import { rawRows, type Queryable } from './tx.js';

type Raw = Record<string, unknown>;

/** A supervisor's question about the unit's codes; every field narrows the answer. */
export interface CodeFilter {
  codes?: string[];
  productId?: number;
  batch?: string;
  states?: string[];
  level?: number;
  documentId?: number;
  /** A document by its number (what a supervisor has on paper). */
  documentNumber?: string;
  counterpartyId?: number;
  /** Codes a movement touched in [from, to) (ms). */
  movedFrom?: number;
  movedTo?: number;
  /** Codes a platform accepted in [from, to) (ms). */
  uploadedFrom?: number;
  uploadedTo?: number;
}

export type CodeSort = 'code' | 'updatedAt' | 'state' | 'batch' | 'product' | 'level';

export interface CodeQueryRow {
  code: string;
  level: number | null;
  state: string;
  productId: number | null;
  productName: string | null;
  batch: string | null;
  expiry: string | null;
  parentCode: string | null;
  documentId: number | null;
  documentNumber: string | null;
  updatedAt: number;
}

// Sort keys never NULL, so keyset paging can compare row values without NULL's three-valued logic.
const SORT_SQL: Record<CodeSort, string> = {
  code: 'cs.code',
  updatedAt: 'cs.updated_at',
  state: 'cs.state',
  batch: "COALESCE(cs.batch, '')",
  product: "COALESCE(p.name, '')",
  level: 'COALESCE(cs.level, 0)',
};

const SELECT = `cs.code, cs.level, cs.state, cs.product_id, p.name AS product_name, cs.batch, cs.expiry, pk.parent_code,
  cs.document_id, d.number AS document_number, cs.updated_at`;
const FROM = `FROM code_states cs LEFT JOIN products p ON p.id = cs.product_id LEFT JOIN packs pk ON pk.code = cs.code
  LEFT JOIN documents d ON d.id = cs.document_id`;

const toRow = (r: Raw): CodeQueryRow => ({
  code: String(r.code),
  level: r.level === null ? null : Number(r.level),
  state: String(r.state),
  productId: r.product_id === null ? null : Number(r.product_id),
  productName: (r.product_name as string | null) ?? null,
  batch: (r.batch as string | null) ?? null,
  expiry: (r.expiry as string | null) ?? null,
  parentCode: (r.parent_code as string | null) ?? null,
  documentId: r.document_id === null ? null : Number(r.document_id),
  documentNumber: (r.document_number as string | null) ?? null,
  updatedAt: Number(r.updated_at),
});

/**
 * The unit's codes filtered as asked. One WHERE serves a page, its count, a stream and an export's
 * frozen list, so a page and the file made from it can never disagree. Each narrowing by document,
 * counterparty or date is an indexed IN (…) over the journal, never a per-row lookup.
 */
export function codeWhere(unitId: number, f: CodeFilter): { sql: string; bindings: Knex.Value[] } {
  const parts = ['cs.unit_id = ?'];
  const b: Knex.Value[] = [unitId];
  const add = (sql: string, ...v: Knex.Value[]) => {
    parts.push(sql);
    b.push(...v);
  };
  if (f.codes?.length) add(`cs.code IN (${f.codes.map(() => '?').join(',')})`, ...f.codes);
  if (f.productId !== undefined) add('cs.product_id = ?', f.productId);
  if (f.batch !== undefined) add('cs.batch = ?', f.batch);
  if (f.states?.length) add(`cs.state IN (${f.states.map(() => '?').join(',')})`, ...f.states);
  if (f.level !== undefined) add('cs.level = ?', f.level);
  if (f.documentId !== undefined) {
    add('cs.code IN (SELECT mc.code FROM movements m JOIN movement_codes mc ON mc.movement_id = m.id WHERE m.document_id = ? AND m.unit_id = ?)', f.documentId, unitId);
  }
  if (f.documentNumber !== undefined) {
    add(
      'cs.code IN (SELECT mc.code FROM documents dn JOIN movements m ON m.document_id = dn.id JOIN movement_codes mc ON mc.movement_id = m.id WHERE dn.unit_id = ? AND dn.number = ?)',
      unitId,
      f.documentNumber,
    );
  }
  if (f.counterpartyId !== undefined) {
    add(
      `cs.code IN (SELECT mc.code FROM documents dd JOIN movements m ON m.document_id = dd.id JOIN movement_codes mc ON mc.movement_id = m.id
        WHERE dd.counterparty_id = ? AND dd.unit_id = ?)`,
      f.counterpartyId,
      unitId,
    );
  }
  if (f.movedFrom !== undefined || f.movedTo !== undefined) {
    add('cs.code IN (SELECT mc.code FROM movements m JOIN movement_codes mc ON mc.movement_id = m.id WHERE m.unit_id = ? AND m.at >= ? AND m.at < ?)', unitId, f.movedFrom ?? 0, f.movedTo ?? Number.MAX_SAFE_INTEGER);
  }
  if (f.uploadedFrom !== undefined || f.uploadedTo !== undefined) {
    add(
      `cs.code IN (SELECT e.code FROM upload_events e WHERE e.unit_id = ? AND e.event = 'accepted' AND e.code IS NOT NULL AND e.at >= ? AND e.at < ?)`,
      unitId,
      f.uploadedFrom ?? 0,
      f.uploadedTo ?? Number.MAX_SAFE_INTEGER,
    );
  }
  return { sql: parts.join(' AND '), bindings: b };
}

export class CodeQueryRepository {
  async count(q: Queryable, unitId: number, f: CodeFilter): Promise<number> {
    const w = codeWhere(unitId, f);
    const [r] = rawRows<Raw>(await q.raw(`SELECT COUNT(*) AS n FROM code_states cs WHERE ${w.sql}`, w.bindings));
    return Number(r?.n ?? 0);
  }

  async page(q: Queryable, unitId: number, f: CodeFilter, sort: CodeSort, desc: boolean, offset: number, limit: number): Promise<CodeQueryRow[]> {
    const w = codeWhere(unitId, f);
    const dir = desc ? 'DESC' : 'ASC';
    const rows = rawRows<Raw>(await q.raw(`SELECT ${SELECT} ${FROM} WHERE ${w.sql} ORDER BY ${SORT_SQL[sort]} ${dir}, cs.code ${dir} LIMIT ? OFFSET ?`, [...w.bindings, limit, offset]));
    return rows.map(toRow);
  }

  /**
   * Every matching row, a page at a time by keyset (sort key, code): memory stays one page however
   * many codes match, and rows changing while the stream runs never make it skip or repeat a code.
   */
  async *stream(q: Queryable, unitId: number, f: CodeFilter, sort: CodeSort, desc: boolean, pageSize = 1000): AsyncGenerator<CodeQueryRow[]> {
    const w = codeWhere(unitId, f);
    const key = SORT_SQL[sort];
    const dir = desc ? 'DESC' : 'ASC';
    const cmp = desc ? '<' : '>';
    let after: [Knex.Value, string] | null = null;
    for (;;) {
      const seek: string = after ? ` AND (${key}, cs.code) ${cmp} (?, ?)` : '';
      const rows: Raw[] = rawRows<Raw>(
        await q.raw(`SELECT ${SELECT}, ${key} AS sort_key ${FROM} WHERE ${w.sql}${seek} ORDER BY ${key} ${dir}, cs.code ${dir} LIMIT ?`, [...w.bindings, ...(after ?? []), pageSize]),
      );
      if (rows.length === 0) return;
      yield rows.map(toRow);
      const last: Raw = rows[rows.length - 1]!;
      after = [last.sort_key as Knex.Value, String(last.code)];
      if (rows.length < pageSize) return;
    }
  }

  /**
   * Freezes the matching codes of an export in the export's order, in one statement. Answers how
   * many were written; at most `limit` (the caller asks one more than it allows to detect "too many").
   */
  async freeze(q: Queryable, exportId: number, unitId: number, f: CodeFilter, sort: CodeSort, desc: boolean, limit: number): Promise<number> {
    const w = codeWhere(unitId, f);
    const dir = desc ? 'DESC' : 'ASC';
    await q.raw(
      `INSERT INTO export_codes (export_id, seq, code)
       SELECT ?, ROW_NUMBER() OVER (ORDER BY ${SORT_SQL[sort]} ${dir}, cs.code ${dir}), cs.code
       FROM code_states cs LEFT JOIN products p ON p.id = cs.product_id WHERE ${w.sql}
       ORDER BY ${SORT_SQL[sort]} ${dir}, cs.code ${dir} LIMIT ?`,
      [exportId, ...w.bindings, limit],
    );
    const [r] = rawRows<Raw>(await q.raw('SELECT COUNT(*) AS n FROM export_codes WHERE export_id = ?', [exportId]));
    return Number(r?.n ?? 0);
  }
}
