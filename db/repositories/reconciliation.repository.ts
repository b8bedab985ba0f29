import { rawRows as rowsOf, type Queryable } from './tx.js';

export interface LineCount {
  lineId: number;
  lineNo: number;
  code: string | null;
  productId: number | null;
  productName: string | null;
  batch: string | null;
  expected: number;
  received: number;
}

export interface ReconciliationCounts {
  lines: LineCount[];
  /** Unit codes the document moved (net of undone scans). */
  received: number;
  unexpected: number;
  missingCodes: string[];
  unexpectedCodes: string[];
}

/**
 * The unit codes a document moved, from the journal: scans' movements that no undo compensated.
 * Reading the journal (not the projection) keeps a completed document's figures stable after its
 * codes move on.
 */
const GOT = `got AS (
  SELECT DISTINCT mc.code FROM movements m JOIN movement_codes mc ON mc.movement_id = m.id
  WHERE m.document_id = ? AND m.kind IN ('receive', 'pick') AND COALESCE(mc.level, 1) = 1
    AND NOT EXISTS (SELECT 1 FROM movements u WHERE u.compensates = m.id))`;


export class ReconciliationRepository {
  /** Units of one product the document moved outside its expected codes (the pick-list count). */
  async productUnits(q: Queryable, unitId: number, documentId: number, productId: number, batch: string | null): Promise<number> {
    const [r] = rowsOf<{ n: number | string }>(
      await q.raw(
        `WITH ${GOT}
         SELECT COUNT(*) AS n FROM got JOIN code_states cs ON cs.unit_id = ? AND cs.code = got.code
         WHERE cs.product_id = ?${batch === null ? '' : ' AND cs.batch = ?'}
           AND NOT EXISTS (SELECT 1 FROM document_expected_codes e WHERE e.document_id = ? AND e.code = got.code)`,
        [documentId, unitId, productId, ...(batch === null ? [] : [batch]), documentId],
      ),
    );
    return Number(r?.n ?? 0);
  }

  async counts(q: Queryable, unitId: number, documentId: number, sample = 50): Promise<ReconciliationCounts> {
    const codeLines = rowsOf<Record<string, unknown>>(
      await q.raw(
        `WITH ${GOT}
         SELECT l.id, l.line_no, l.code, l.product_id, l.quantity, l.batch, pr.name AS product_name,
                (SELECT COUNT(*) FROM document_expected_codes e WHERE e.line_id = l.id) AS expected,
                (SELECT COUNT(*) FROM document_expected_codes e JOIN got ON got.code = e.code WHERE e.line_id = l.id) AS received_codes,
                (SELECT COUNT(*) FROM got JOIN code_states cs ON cs.unit_id = ? AND cs.code = got.code
                   WHERE l.code IS NULL AND cs.product_id = l.product_id AND (l.batch IS NULL OR cs.batch = l.batch)
                     AND NOT EXISTS (SELECT 1 FROM document_expected_codes e WHERE e.document_id = l.document_id AND e.code = got.code)) AS received_product
         FROM document_lines l LEFT JOIN products pr ON pr.id = l.product_id
         WHERE l.document_id = ? ORDER BY l.line_no`,
        [documentId, unitId, documentId],
      ),
    );
    const lines: LineCount[] = codeLines.map((r) => ({
      lineId: Number(r.id),
      lineNo: Number(r.line_no),
      code: (r.code as string | null) ?? null,
      productId: r.product_id === null ? null : Number(r.product_id),
      productName: (r.product_name as string | null) ?? null,
      batch: (r.batch as string | null) ?? null,
      expected: r.code === null ? Number(r.quantity ?? 0) : Number(r.expected),
      received: r.code === null ? Number(r.received_product) : Number(r.received_codes),
    }));

    const [totals] = rowsOf<{ received: number | string; unexpected: number | string }>(
      await q.raw(
        `WITH ${GOT}
         SELECT COUNT(*) AS received,
           SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM document_expected_codes e WHERE e.document_id = ? AND e.code = got.code)
                     AND NOT EXISTS (SELECT 1 FROM code_states cs JOIN document_lines l ON l.document_id = ? AND l.code IS NULL AND l.product_id = cs.product_id
                                     WHERE cs.unit_id = ? AND cs.code = got.code)
               THEN 1 ELSE 0 END) AS unexpected
         FROM got`,
        [documentId, documentId, documentId, unitId],
      ),
    );
    const missingCodes = rowsOf<{ code: string }>(
      await q.raw(`WITH ${GOT} SELECT e.code FROM document_expected_codes e WHERE e.document_id = ? AND NOT EXISTS (SELECT 1 FROM got WHERE got.code = e.code) ORDER BY e.code LIMIT ?`, [
        documentId,
        documentId,
        sample,
      ]),
    ).map((r) => r.code);
    const hasLines = lines.length > 0;
    const unexpectedCodes = hasLines
      ? rowsOf<{ code: string }>(
          await q.raw(
            `WITH ${GOT} SELECT got.code FROM got WHERE NOT EXISTS (SELECT 1 FROM document_expected_codes e WHERE e.document_id = ? AND e.code = got.code)
               AND NOT EXISTS (SELECT 1 FROM code_states cs JOIN document_lines l ON l.document_id = ? AND l.code IS NULL AND l.product_id = cs.product_id WHERE cs.unit_id = ? AND cs.code = got.code)
             ORDER BY got.code LIMIT ?`,
            [documentId, documentId, documentId, unitId, sample],
          ),
        ).map((r) => r.code)
      : [];
    return { lines, received: Number(totals?.received ?? 0), unexpected: hasLines ? Number(totals?.unexpected ?? 0) : 0, missingCodes, unexpectedCodes };
  }
}
