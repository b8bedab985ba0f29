import { rawRows, type Queryable, insertedId } from './tx.js';

export type DocumentDirectionRow = 'in' | 'out';
export type DocumentStatusRow = 'open' | 'completed' | 'cancelled';

export interface DocumentRow {
  id: number;
  unitId: number;
  direction: DocumentDirectionRow;
  number: string;
  type: string;
  counterpartyId: number;
  counterpartyName: string;
  counterpartyUscc: string;
  deliveryNote: string | null;
  status: DocumentStatusRow;
  createdBy: number | null;
  createdAt: number;
  completedBy: number | null;
  completedAt: number | null;
  hasExpected: boolean;
}

export interface NewDocument {
  unitId: number;
  direction: DocumentDirectionRow;
  number: string;
  type: string;
  counterpartyId: number;
  deliveryNote: string | null;
  createdBy: number;
  createdAt: number;
}

export interface NewLine {
  lineNo: number;
  code: string | null;
  productId: number | null;
  quantity: number | null;
  batch: string | null;
}

const toRow = (r: Record<string, unknown>): DocumentRow => ({
  id: Number(r.id),
  unitId: Number(r.unit_id),
  direction: r.direction as DocumentDirectionRow,
  number: r.number as string,
  type: r.type as string,
  counterpartyId: Number(r.counterparty_id),
  counterpartyName: r.cp_name as string,
  counterpartyUscc: r.cp_uscc as string,
  deliveryNote: (r.delivery_note as string | null) ?? null,
  status: r.status as DocumentStatusRow,
  createdBy: r.created_by === null ? null : Number(r.created_by),
  createdAt: Number(r.created_at),
  completedBy: r.completed_by === null ? null : Number(r.completed_by),
  completedAt: r.completed_at === null ? null : Number(r.completed_at),
  hasExpected: Number(r.line_count ?? 0) > 0,
});

const BASE_COLUMNS = [
  'd.*',
  'c.name as cp_name',
  'c.uscc as cp_uscc',
] as const;

export class DocumentsRepository {
  private select(q: Queryable) {
    return q('documents as d')
      .join('counterparties as c', 'c.id', 'd.counterparty_id')
      .select(...BASE_COLUMNS, q.raw('(SELECT COUNT(*) FROM document_lines l WHERE l.document_id = d.id) AS line_count'));
  }

  async get(q: Queryable, id: number): Promise<DocumentRow | undefined> {
    const r = (await this.select(q).where('d.id', id).first()) as Record<string, unknown> | undefined;
    return r ? toRow(r) : undefined;
  }

  async findOpenByNumber(q: Queryable, unitId: number, number: string): Promise<DocumentRow | undefined> {
    const r = (await this.select(q).where({ 'd.unit_id': unitId, 'd.number': number, 'd.status': 'open' }).first()) as Record<string, unknown> | undefined;
    return r ? toRow(r) : undefined;
  }

  async list(q: Queryable, unitId: number, f: { direction?: DocumentDirectionRow; status?: DocumentStatusRow; q?: string; limit: number }): Promise<DocumentRow[]> {
    const query = this.select(q).where('d.unit_id', unitId).orderBy('d.id', 'desc').limit(f.limit);
    if (f.direction) query.where('d.direction', f.direction);
    if (f.status) query.where('d.status', f.status);
    if (f.q) query.where((w) => void w.where('d.number', 'like', `%${f.q}%`).orWhere('c.name', 'like', `%${f.q}%`));
    return ((await query) as Array<Record<string, unknown>>).map(toRow);
  }

  async insert(q: Queryable, d: NewDocument): Promise<number> {
    const id = insertedId(await q('documents')
      .insert({
        unit_id: d.unitId,
        direction: d.direction,
        number: d.number,
        type: d.type,
        counterparty_id: d.counterpartyId,
        delivery_note: d.deliveryNote,
        status: 'open',
        created_by: d.createdBy,
        created_at: d.createdAt,
      })
      .returning('id'));
    return id;
  }

  /**
   * Expected content. Code lines are expanded through the hierarchy into the unit codes they stand
   * for, inside the database (a case of 10 000 units is one statement).
   */
  async insertLines(q: Queryable, documentId: number, lines: NewLine[]): Promise<void> {
    for (let i = 0; i < lines.length; i += 500) {
      await q('document_lines').insert(
        lines.slice(i, i + 500).map((l) => ({ document_id: documentId, line_no: l.lineNo, code: l.code, product_id: l.productId, quantity: l.quantity, batch: l.batch })),
      );
    }
    // Units under each expected code; a code with no known children stands for itself.
    await q.raw(
      `INSERT INTO document_expected_codes (document_id, code, line_id)
       WITH RECURSIVE sub(line_id, code, has_children) AS (
         SELECT l.id, l.code, EXISTS (SELECT 1 FROM packs c WHERE c.parent_code = l.code)
           FROM document_lines l WHERE l.document_id = ? AND l.code IS NOT NULL
         UNION ALL
         SELECT sub.line_id, p.code, EXISTS (SELECT 1 FROM packs c WHERE c.parent_code = p.code)
           FROM packs p JOIN sub ON p.parent_code = sub.code)
       SELECT CAST(? AS INTEGER), code, MIN(line_id) FROM sub WHERE NOT has_children GROUP BY code
       ON CONFLICT (document_id, code) DO NOTHING`,
      [documentId, documentId],
    );
  }

  async setStatus(q: Queryable, id: number, status: DocumentStatusRow, by: number, at: number): Promise<void> {
    await q('documents').where({ id, status: 'open' }).update({ status, completed_by: by, completed_at: at });
  }

  /**
   * How many of the document's expected codes `root` is or holds (a case: the units inside it), in
   * SQL. The cast: PostgreSQL types a recursive CTE by its first term, which must match `packs.code`.
   */
  async expectedUnder(q: Queryable, documentId: number, root: string): Promise<number> {
    const [r] = rawRows<{ n: number | string }>(
      await q.raw(
        `WITH RECURSIVE sub(code) AS (SELECT CAST(? AS VARCHAR(100)) UNION ALL SELECT p.code FROM packs p JOIN sub ON p.parent_code = sub.code)
         SELECT COUNT(*) AS n FROM document_expected_codes e JOIN sub ON sub.code = e.code WHERE e.document_id = ?`,
        [root, documentId],
      ),
    );
    return Number(r?.n ?? 0);
  }

  /** Products the document is about: product lines plus the products of its expected codes. */
  async expectedProducts(q: Queryable, documentId: number): Promise<Set<number>> {
    const list = rawRows<{ id: number | null }>(
      await q.raw(
      `SELECT product_id AS id FROM document_lines WHERE document_id = ? AND product_id IS NOT NULL
       UNION
       SELECT COALESCE(p.product_id, pc.product_id) AS id FROM document_lines l
         LEFT JOIN packs p ON p.code = l.code
         LEFT JOIN product_codes pc ON pc.kind = 'prefix' AND pc.status = 'active' AND pc.value = substr(l.code, 1, 7)
       WHERE l.document_id = ? AND l.code IS NOT NULL`,
        [documentId, documentId],
      ),
    );
    return new Set(list.filter((r) => r.id !== null).map((r) => Number(r.id)));
  }

  async productLines(q: Queryable, documentId: number): Promise<Array<{ productId: number; quantity: number; batch: string | null }>> {
    const rows = (await q('document_lines').where({ document_id: documentId }).whereNotNull('product_id').whereNull('code')) as Array<Record<string, unknown>>;
    return rows.map((r) => ({ productId: Number(r.product_id), quantity: Number(r.quantity), batch: (r.batch as string | null) ?? null }));
  }
}
