import { rawRows, type Queryable } from './tx.js';

type Raw = Record<string, unknown>;

export interface ChainNode {
  code: string;
  level: number;
  parentCode: string | null;
  batch: string | null;
  importId: number | null;
  state: string | null;
}

/** Names around an event row, joined in the same statement so a timeline is a handful of reads. */
const WHO = `o.id AS operator_id, o.display_name AS operator_name, s.id AS station_id, s.name AS station_name, u.id AS unit_id, u.name AS unit_name`;
const WHO_JOINS = (alias: string) =>
  `LEFT JOIN operators o ON o.id = ${alias}.operator_id LEFT JOIN stations s ON s.id = ${alias}.station_id LEFT JOIN units u ON u.id = ${alias}.unit_id`;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export interface TimelineRow {
  at: number;
  id: number;
  kind: string;
  fromState: string | null;
  toState: string | null;
  scanCode: string | null;
  documentId: number | null;
  documentNumber: string | null;
  direction: string | null;
  counterpartyName: string | null;
  counterpartyUscc: string | null;
  operator: { id: number; name: string } | null;
  station: { id: number; name: string } | null;
  unit: { id: number; name: string } | null;
  scanId: number | null;
  parentCode: string | null;
  code: string | null;
  count: number | null;
  reason: string | null;
}

function party(id: unknown, name: unknown): { id: number; name: string } | null {
  return id === null || id === undefined ? null : { id: Number(id), name: String(name ?? '') };
}

function toRow(r: Raw): TimelineRow {
  return {
    at: Number(r.at),
    id: Number(r.id),
    kind: String(r.kind),
    fromState: str(r.from_state),
    toState: str(r.to_state),
    scanCode: str(r.scan_code),
    documentId: num(r.document_id),
    documentNumber: str(r.number),
    direction: str(r.direction),
    counterpartyName: str(r.cp_name),
    counterpartyUscc: str(r.cp_uscc),
    operator: party(r.operator_id, r.operator_name),
    station: party(r.station_id, r.station_name),
    unit: party(r.unit_id, r.unit_name),
    scanId: num(r.scan_id),
    parentCode: str(r.parent_code),
    code: str(r.code),
    count: num(r.n),
    reason: str(r.reason),
  };
}

export interface UploadTimelineRow {
  at: number;
  id: number;
  recordId: number;
  platform: 'nhsa' | 'gansu';
  operation: string;
  event: string;
  code: string | null;
  batchId: number | null;
  httpStatus: number | null;
  message: string | null;
  operator: { id: number; name: string } | null;
}

/**
 * Reads behind a code's timeline. Each is one indexed statement (by code, or by the few codes of
 * its parent chain), so a timeline costs the same with ten codes stored or ten million.
 */
export class TimelineRepository {
  /** The code and its parent chain, nearest first, with each one's state at the unit. */
  async chain(q: Queryable, unitId: number, code: string): Promise<ChainNode[]> {
    const rows = rawRows<Raw>(
      await q.raw(
        `WITH RECURSIVE up(code, depth) AS (
           SELECT code, 0 FROM packs WHERE code = ?
           UNION ALL SELECT p.parent_code, up.depth + 1 FROM up JOIN packs p ON p.code = up.code
           WHERE p.parent_code IS NOT NULL AND up.depth < 8)
         SELECT p.code, p.level, p.parent_code, p.batch, p.import_id, cs.state, up.depth
         FROM up JOIN packs p ON p.code = up.code LEFT JOIN code_states cs ON cs.unit_id = ? AND cs.code = p.code
         ORDER BY up.depth`,
        [code, unitId],
      ),
    );
    return rows.map((r) => ({ code: String(r.code), level: Number(r.level), parentCode: str(r.parent_code), batch: str(r.batch), importId: num(r.import_id), state: str(r.state) }));
  }

  /** Every movement that carried the code at the unit, with the scan that started it (maybe a case's). */
  async movements(q: Queryable, unitId: number, code: string): Promise<TimelineRow[]> {
    const rows = rawRows<Raw>(
      await q.raw(
        `SELECT m.at, m.id, m.kind, mc.from_state, mc.to_state, se.code AS scan_code, m.document_id, d.number, d.direction,
                c.name AS cp_name, c.uscc AS cp_uscc, ${WHO}, m.scan_id, NULL AS parent_code, mc.code, NULL AS n, m.reason
         FROM movement_codes mc CROSS JOIN movements m
         LEFT JOIN documents d ON d.id = m.document_id LEFT JOIN counterparties c ON c.id = d.counterparty_id
         LEFT JOIN scan_events se ON se.id = m.scan_id ${WHO_JOINS('m')}
         WHERE mc.code = ? AND m.id = mc.movement_id AND m.unit_id = ? ORDER BY m.id`,
        [code, unitId],
      ),
    );
    return rows.map(toRow);
  }

  /** Packing and unpacking of the code and of the cases above it. */
  async packEvents(q: Queryable, unitId: number, codes: string[]): Promise<TimelineRow[]> {
    const rows = rawRows<Raw>(
      await q.raw(
        `SELECT pe.at, pe.id, pe.kind, NULL AS from_state, NULL AS to_state, NULL AS scan_code, NULL AS document_id, NULL AS number,
                NULL AS direction, NULL AS cp_name, NULL AS cp_uscc, ${WHO}, pe.scan_id, pe.parent_code, pe.code, NULL AS n, pe.reason
         FROM pack_events pe ${WHO_JOINS('pe')}
         WHERE pe.code IN (${codes.map(() => '?').join(',')}) AND (pe.unit_id = ? OR pe.unit_id IS NULL) ORDER BY pe.id`,
        [...codes, unitId],
      ),
    );
    return rows.map(toRow);
  }

  /** What went into or came out of this case, one line per scan (a case of 10 000 is one line). */
  async childEvents(q: Queryable, unitId: number, code: string): Promise<TimelineRow[]> {
    const rows = rawRows<Raw>(
      await q.raw(
        `SELECT MIN(pe.at) AS at, MIN(pe.id) AS id, pe.kind, NULL AS from_state, NULL AS to_state, NULL AS scan_code, NULL AS document_id,
                NULL AS number, NULL AS direction, NULL AS cp_name, NULL AS cp_uscc, ${WHO}, pe.scan_id, pe.parent_code, NULL AS code,
                COUNT(*) AS n, MIN(pe.reason) AS reason
         FROM pack_events pe ${WHO_JOINS('pe')}
         WHERE pe.parent_code = ? AND (pe.unit_id = ? OR pe.unit_id IS NULL)
         GROUP BY pe.kind, pe.scan_id, pe.parent_code, o.id, o.display_name, s.id, s.name, u.id, u.name, CASE WHEN pe.scan_id IS NULL THEN pe.id END
         ORDER BY MIN(pe.id)`,
        [code, unitId],
      ),
    );
    return rows.map(toRow);
  }

  /** Scans of the code that were not taken (duplicates, refusals): the exceptions a supervisor chases. */
  async refusedScans(q: Queryable, unitId: number, code: string): Promise<TimelineRow[]> {
    const rows = rawRows<Raw>(
      await q.raw(
        `SELECT se.received_at AS at, se.id, se.decision AS kind, NULL AS from_state, NULL AS to_state, se.code AS scan_code, NULL AS document_id,
                NULL AS number, NULL AS direction, NULL AS cp_name, NULL AS cp_uscc, o.id AS operator_id, o.display_name AS operator_name,
                st.id AS station_id, st.name AS station_name, u.id AS unit_id, u.name AS unit_name, se.id AS scan_id, NULL AS parent_code,
                se.code, NULL AS n, se.reason_code AS reason
         FROM scan_events se LEFT JOIN operators o ON o.id = se.operator_id LEFT JOIN stations st ON st.id = se.station_id LEFT JOIN units u ON u.id = se.unit_id
         WHERE se.code = ? AND se.decision <> 'accepted' AND (se.unit_id = ? OR se.unit_id IS NULL) ORDER BY se.id`,
        [code, unitId],
      ),
    );
    return rows.map(toRow);
  }

  /**
   * The platform ledger of the code and of the cases above it (an uploaded case carried its units),
   * plus the Gansu sale rows that reported the code's retail sale (those rows name the sale, not the code).
   */
  async uploads(q: Queryable, unitId: number, codes: string[]): Promise<UploadTimelineRow[]> {
    const marks = codes.map(() => '?').join(',');
    const cols = `e.at, e.id, e.record_id, r.platform, e.operation, e.event, e.code, e.batch_id, b.http_status, e.message, o.id AS operator_id, o.display_name AS operator_name`;
    const joins = `JOIN upload_records r ON r.id = e.record_id LEFT JOIN upload_batches b ON b.id = e.batch_id LEFT JOIN operators o ON o.id = e.operator_id`;
    // Two indexed branches (by code; by the sale's Gansu row) rather than one OR, which no index serves.
    const rows = rawRows<Raw>(
      await q.raw(
        `SELECT ${cols} FROM upload_events e ${joins} WHERE e.code IN (${marks}) AND e.unit_id = ?
         UNION ALL
         SELECT ${cols} FROM upload_events e ${joins} WHERE e.code IS NULL AND e.unit_id = ? AND e.record_id IN (
           SELECT ur.id FROM sale_lines sl JOIN sales sa ON sa.id = sl.sale_id
           JOIN upload_records ur ON ur.unit_id = sa.unit_id AND ur.platform = 'gansu' AND ur.operation = 'saveSaleData'
             AND ur.record_key = 'sale:' || sl.sale_id || ':' || sl.product_id
           WHERE sl.code = ? AND sa.unit_id = ?)
         ORDER BY 1, 2`,
        [...codes, unitId, unitId, codes[0]!, unitId],
      ),
    );
    // The call's HTTP answer belongs to the line that settled it, not to `sent` (no answer yet then).
    const answered = (event: string) => !['queued', 'sent', 'exported'].includes(event);
    return rows.map((r) => ({
      at: Number(r.at),
      id: Number(r.id),
      recordId: Number(r.record_id),
      platform: r.platform === 'gansu' ? 'gansu' : 'nhsa',
      operation: String(r.operation),
      event: String(r.event),
      code: str(r.code),
      batchId: num(r.batch_id),
      httpStatus: answered(String(r.event)) ? num(r.http_status) : null,
      message: str(r.message),
      operator: party(r.operator_id, r.operator_name),
    }));
  }

  async importOf(q: Queryable, importId: number): Promise<{ at: number; fileName: string; operator: { id: number; name: string } | null; unit: { id: number; name: string } | null } | undefined> {
    const r = rawRows<Raw>(
      await q.raw(
        `SELECT ri.started_at, ri.file_name, o.id AS operator_id, o.display_name AS operator_name, u.id AS unit_id, u.name AS unit_name
         FROM relation_imports ri LEFT JOIN operators o ON o.id = ri.operator_id LEFT JOIN units u ON u.id = ri.unit_id WHERE ri.id = ?`,
        [importId],
      ),
    )[0];
    return r ? { at: Number(r.started_at), fileName: String(r.file_name), operator: party(r.operator_id, r.operator_name), unit: party(r.unit_id, r.unit_name) } : undefined;
  }

  /** Everything under the code counted per level, and the first direct children with their state. */
  async below(q: Queryable, unitId: number, code: string, limit: number): Promise<{ perLevel: Array<{ level: number; count: number }>; children: ChainNode[]; childrenTotal: number }> {
    const perLevel = rawRows<Raw>(
      await q.raw(
        `WITH RECURSIVE sub(code, level) AS (SELECT code, level FROM packs WHERE parent_code = ?
           UNION ALL SELECT p.code, p.level FROM packs p JOIN sub ON p.parent_code = sub.code)
         SELECT level, COUNT(*) AS n FROM sub GROUP BY level ORDER BY level DESC`,
        [code],
      ),
    ).map((r) => ({ level: Number(r.level), count: Number(r.n) }));
    const children = rawRows<Raw>(
      await q.raw(
        `SELECT p.code, p.level, p.parent_code, p.batch, p.import_id, cs.state FROM packs p
         LEFT JOIN code_states cs ON cs.unit_id = ? AND cs.code = p.code WHERE p.parent_code = ? ORDER BY p.code LIMIT ?`,
        [unitId, code, limit],
      ),
    ).map((r) => ({ code: String(r.code), level: Number(r.level), parentCode: str(r.parent_code), batch: str(r.batch), importId: num(r.import_id), state: str(r.state) }));
    const total = children.length < limit ? children.length : Number(rawRows<Raw>(await q.raw(`SELECT COUNT(*) AS n FROM packs WHERE parent_code = ?`, [code]))[0]?.n ?? 0);
    return { perLevel, children, childrenTotal: total };
  }
}
