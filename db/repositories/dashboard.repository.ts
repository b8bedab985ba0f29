import { rawRows, type Queryable } from './tx.js';

/** One China day of one unit: [from, to) in epoch ms. */
export interface DayScope {
  unitId: number;
  from: number;
  to: number;
}

export interface DirectionCountsRow {
  direction: 'in' | 'out';
  completed: number;
  cancelled: number;
  open: number;
  created: number;
}

export interface DirectionMovesRow {
  direction: 'in' | 'out';
  scannedCodes: number;
  scannedUnits: number;
  completedUnits: number;
}

export interface ScanCellRow {
  stationId: number;
  stationName: string;
  stationKind: string;
  hour: number;
  outcome: 'accepted' | 'duplicate' | 'rejected' | 'undone';
  n: number;
}

export interface ReasonRow {
  decision: 'duplicate' | 'rejected';
  reasonCode: string;
  n: number;
  lastScanId: number;
}

export interface DocumentIssueRow {
  documentId: number;
  direction: 'in' | 'out';
  number: string;
  status: 'open' | 'completed';
  counterpartyName: string;
  at: number;
  expected: number;
  received: number;
  missing: number;
  over: number;
  unexpected: number;
}

export interface UploadCellRow {
  platform: 'nhsa' | 'gansu';
  operation: string;
  state: 'pending' | 'sending' | 'unknown' | 'manual' | 'rejected';
  n: number;
  oldest: number;
  /** Rows of this cell last changed during the day (a rejection's time). */
  inDay: number;
}

type Raw = Record<string, unknown>;
const num = (v: unknown): number => Number(v ?? 0);

// A scan is `undone` when a compensating undo exists, exactly as the station counters count it.
const OUTCOME = `CASE WHEN u.id IS NULL THEN s.decision ELSE 'undone' END`;

/*
 * The documents a movement of the day can belong to: created before the day ended and not closed
 * before it began. Reaching movements through this set (documents by unit, then movements by
 * document id) uses the indexes that exist; `movements.at` has none.
 */
const DAY_DOCUMENTS = `d.unit_id = ? AND d.created_at < ? AND (d.status = 'open' OR d.completed_at >= ?)`;

/*
 * Set-based twin of ReconciliationRepository.counts (the per-document figures of a document's
 * page) over every document of the day that expects content: completed during the day, or open.
 * Same rules: the codes a document moved come from the journal (scan movements no undo
 * compensated, unit level); a code line expects its expanded codes, a product line its quantity;
 * a moved code matching neither is unexpected. The integration test holds the two to the same
 * numbers, document by document. (Expected codes are reached by document first: there is no index
 * on their line.)
 */
const ISSUES_SQL = `
WITH docs AS (
  SELECT d.id, d.direction, d.number, d.status, d.counterparty_id, COALESCE(d.completed_at, d.created_at) AS at
  FROM documents d
  WHERE d.unit_id = ? AND ((d.status = 'completed' AND d.completed_at >= ? AND d.completed_at < ?) OR (d.status = 'open' AND d.created_at < ?))
    AND EXISTS (SELECT 1 FROM document_lines l WHERE l.document_id = d.id)
),
got AS (
  SELECT DISTINCT m.document_id, mc.code
  FROM docs JOIN movements m ON m.document_id = docs.id JOIN movement_codes mc ON mc.movement_id = m.id
  WHERE m.kind IN ('receive', 'pick') AND COALESCE(mc.level, 1) = 1
    AND NOT EXISTS (SELECT 1 FROM movements c WHERE c.compensates = m.id)
),
lines AS (
  SELECT l.document_id,
    CASE WHEN l.code IS NULL THEN COALESCE(l.quantity, 0)
         ELSE (SELECT COUNT(*) FROM document_expected_codes e WHERE e.document_id = l.document_id AND e.line_id = l.id) END AS expected,
    CASE WHEN l.code IS NULL THEN
           (SELECT COUNT(*) FROM got JOIN code_states cs ON cs.unit_id = ? AND cs.code = got.code
            WHERE got.document_id = l.document_id AND cs.product_id = l.product_id AND (l.batch IS NULL OR cs.batch = l.batch)
              AND NOT EXISTS (SELECT 1 FROM document_expected_codes e WHERE e.document_id = l.document_id AND e.code = got.code))
         ELSE (SELECT COUNT(*) FROM document_expected_codes e JOIN got ON got.document_id = e.document_id AND got.code = e.code WHERE e.document_id = l.document_id AND e.line_id = l.id)
    END AS received
  FROM document_lines l JOIN docs ON docs.id = l.document_id
),
per_doc AS (
  SELECT document_id, SUM(expected) AS expected,
    SUM(CASE WHEN expected > received THEN expected - received ELSE 0 END) AS missing,
    SUM(CASE WHEN received > expected THEN received - expected ELSE 0 END) AS over_units
  FROM lines GROUP BY document_id
),
moved AS (
  SELECT got.document_id, COUNT(*) AS received,
    SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM document_expected_codes e WHERE e.document_id = got.document_id AND e.code = got.code)
              AND NOT EXISTS (SELECT 1 FROM code_states cs JOIN document_lines l ON l.document_id = got.document_id AND l.code IS NULL AND l.product_id = cs.product_id
                              WHERE cs.unit_id = ? AND cs.code = got.code)
        THEN 1 ELSE 0 END) AS unexpected
  FROM got GROUP BY got.document_id
)
SELECT docs.id, docs.direction, docs.number, docs.status, cp.name AS counterparty_name, docs.at,
  p.expected, COALESCE(mv.received, 0) AS received, p.missing, p.over_units, COALESCE(mv.unexpected, 0) AS unexpected
FROM docs JOIN per_doc p ON p.document_id = docs.id
LEFT JOIN moved mv ON mv.document_id = docs.id
JOIN counterparties cp ON cp.id = docs.counterparty_id
WHERE (docs.status = 'completed' AND p.missing > 0) OR p.over_units > 0 OR COALESCE(mv.unexpected, 0) > 0
ORDER BY docs.at DESC, docs.id DESC`;

/**
 * The dashboard's figures, one aggregate statement each, whatever the number of rows behind them.
 * Reads only: nothing here takes a write lock.
 */
export class DashboardRepository {
  /** Documents per direction: completed, cancelled, open at the day's end, created. */
  async documentCounts(q: Queryable, s: DayScope): Promise<DirectionCountsRow[]> {
    const rows = rawRows<Raw>(
      await q.raw(
        `SELECT direction,
           SUM(CASE WHEN status = 'completed' AND completed_at >= ? AND completed_at < ? THEN 1 ELSE 0 END) AS completed,
           SUM(CASE WHEN status = 'cancelled' AND completed_at >= ? AND completed_at < ? THEN 1 ELSE 0 END) AS cancelled,
           SUM(CASE WHEN created_at < ? AND (status = 'open' OR completed_at >= ?) THEN 1 ELSE 0 END) AS open_docs,
           SUM(CASE WHEN created_at >= ? AND created_at < ? THEN 1 ELSE 0 END) AS created
         FROM documents WHERE unit_id = ? GROUP BY direction`,
        [s.from, s.to, s.from, s.to, s.to, s.to, s.from, s.to, s.unitId],
      ),
    );
    return rows.map((r) => ({ direction: r.direction as 'in' | 'out', completed: num(r.completed), cancelled: num(r.cancelled), open: num(r.open_docs), created: num(r.created) }));
  }

  /** Codes and units scanned onto documents (net of undo) and units moved by completions, per direction. */
  async documentMoves(q: Queryable, s: DayScope): Promise<DirectionMovesRow[]> {
    const rows = rawRows<Raw>(
      await q.raw(
        `SELECT d.direction,
           COUNT(DISTINCT CASE WHEN m.kind IN ('receive', 'pick') THEN m.id END) AS scanned_codes,
           SUM(CASE WHEN m.kind IN ('receive', 'pick') AND COALESCE(mc.level, 1) = 1 THEN 1 ELSE 0 END) AS scanned_units,
           SUM(CASE WHEN m.kind = 'complete' AND COALESCE(mc.level, 1) = 1 THEN 1 ELSE 0 END) AS completed_units
         FROM documents d
         JOIN movements m ON m.document_id = d.id
         JOIN movement_codes mc ON mc.movement_id = m.id
         WHERE ${DAY_DOCUMENTS} AND m.at >= ? AND m.at < ? AND m.kind IN ('receive', 'pick', 'complete')
           AND NOT EXISTS (SELECT 1 FROM movements c WHERE c.compensates = m.id)
         GROUP BY d.direction`,
        [s.unitId, s.to, s.from, s.from, s.to],
      ),
    );
    return rows.map((r) => ({ direction: r.direction as 'in' | 'out', scannedCodes: num(r.scanned_codes), scannedUnits: num(r.scanned_units), completedUnits: num(r.completed_units) }));
  }

  /**
   * Scans per station, China hour and outcome. Stations drive the join (SQLite keeps the table
   * order of a CROSS JOIN) so it walks the (station_id, received_at) index one day-range per
   * station; left to itself it scans the whole journal. The
   * cast: node-sqlite3 binds a number beyond 32 bits as a double, which would make the hour a
   * fraction (one group per millisecond) instead of an integer division.
   */
  async scanCells(q: Queryable, s: DayScope): Promise<ScanCellRow[]> {
    const rows = rawRows<Raw>(
      await q.raw(
        `SELECT st.id AS station_id, st.name, st.kind, (s.received_at - CAST(? AS BIGINT)) / 3600000 AS hour, ${OUTCOME} AS outcome, COUNT(*) AS n
         FROM stations st
         CROSS JOIN scan_events s
         LEFT JOIN scan_undos u ON u.scan_id = s.id
         WHERE s.station_id = st.id AND s.received_at >= ? AND s.received_at < ? AND s.unit_id = ?
         GROUP BY 1, 2, 3, 4, 5
         ORDER BY 1, 4`,
        [s.from, s.from, s.to, s.unitId],
      ),
    );
    return rows.map((r) => ({
      stationId: num(r.station_id),
      stationName: String(r.name),
      stationKind: String(r.kind),
      hour: Math.min(23, Math.max(0, Math.floor(num(r.hour)))),
      outcome: r.outcome as ScanCellRow['outcome'],
      n: num(r.n),
    }));
  }

  /** Duplicates and rejects per reason code, with the latest such scan (for an example message). */
  async reasons(q: Queryable, s: DayScope): Promise<ReasonRow[]> {
    const rows = rawRows<Raw>(
      await q.raw(
        `SELECT s.decision, COALESCE(s.reason_code, '') AS reason_code, COUNT(*) AS n, MAX(s.id) AS last_id
         FROM stations st
         CROSS JOIN scan_events s
         WHERE s.station_id = st.id AND s.received_at >= ? AND s.received_at < ? AND s.unit_id = ? AND s.decision IN ('duplicate', 'rejected')
         GROUP BY s.decision, COALESCE(s.reason_code, '')
         ORDER BY n DESC, reason_code`,
        [s.from, s.to, s.unitId],
      ),
    );
    return rows.map((r) => ({ decision: r.decision as ReasonRow['decision'], reasonCode: String(r.reason_code), n: num(r.n), lastScanId: num(r.last_id) }));
  }

  /** The stored `detail` (JSON) of a few scans, for their localized reason. */
  async scanDetails(q: Queryable, ids: number[]): Promise<Map<number, string | null>> {
    if (ids.length === 0) return new Map();
    const rows = (await q('scan_events').whereIn('id', ids).select('id', 'detail')) as Raw[];
    return new Map(rows.map((r) => [num(r.id), (r.detail as string | null) ?? null]));
  }

  /** Documents of the day that completed short, or hold more (or other) than they expected. */
  async documentIssues(q: Queryable, s: DayScope): Promise<DocumentIssueRow[]> {
    const rows = rawRows<Raw>(await q.raw(ISSUES_SQL, [s.unitId, s.from, s.to, s.to, s.unitId, s.unitId]));
    return rows.map((r) => ({
      documentId: num(r.id),
      direction: r.direction as 'in' | 'out',
      number: String(r.number),
      status: r.status as 'open' | 'completed',
      counterpartyName: String(r.counterparty_name),
      at: num(r.at),
      expected: num(r.expected),
      received: num(r.received),
      missing: num(r.missing),
      over: num(r.over_units),
      unexpected: num(r.unexpected),
    }));
  }

  /**
   * The unit's outbox rows not settled for good, per platform, operation and state. Only these
   * states are counted: the claim index (platform, state, unit_id, id) reaches them directly,
   * while counting `accepted` too would read every record ever uploaded. `+unit_id` keeps SQLite
   * off the identity index (unit_id, platform, …), which would walk the unit's accepted records.
   */
  async uploadCells(q: Queryable, s: DayScope): Promise<UploadCellRow[]> {
    const rows = rawRows<Raw>(
      await q.raw(
        `SELECT platform, operation, state, COUNT(*) AS n, MIN(created_at) AS oldest,
           SUM(CASE WHEN updated_at >= ? AND updated_at < ? THEN 1 ELSE 0 END) AS in_day
         FROM upload_records
         WHERE platform IN ('nhsa', 'gansu') AND state IN ('pending', 'sending', 'unknown', 'manual', 'rejected') AND +unit_id = ?
         GROUP BY platform, operation, state`,
        [s.from, s.to, s.unitId],
      ),
    );
    return rows.map((r) => ({ platform: r.platform as UploadCellRow['platform'], operation: String(r.operation), state: r.state as UploadCellRow['state'], n: num(r.n), oldest: num(r.oldest), inDay: num(r.in_day) }));
  }
}
