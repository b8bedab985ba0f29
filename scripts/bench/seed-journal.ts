import type { Knex } from 'knex';

/**
 * Fills the scan journal with `count` synthetic accepted scans in one set-based statement (a
 * recursive CTE feeding INSERT … SELECT), plus the duplicate projection — the state of a dock that
 * has been scanning for months. A per-row loop would take minutes for a million rows.
 */
export async function seedJournal(knex: Knex, stationId: number, count: number, startMs = Date.now() - 90 * 86_400_000): Promise<void> {
  await knex.raw(
    `WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ?)
     INSERT INTO scan_events (station_id, device_id, source, received_at, recorded_at, raw, text, aim, decision, reason_code, reason, kind, code, detail)
     SELECT ?, 'seed', 'serial', ? + n * 7000, ? + n * 7000 + 1,
            CAST('8' || printf('%06d', n % 997) || printf('%013d', n) AS BLOB),
            '8' || printf('%06d', n % 997) || printf('%013d', n), NULL, 'accepted', NULL, NULL, NULL,
            '8' || printf('%06d', n % 997) || printf('%013d', n), '{}'
     FROM seq`,
    [count, stationId, startMs, startMs],
  );
  await knex.raw(
    `INSERT INTO station_codes (station_id, code, first_scan_id)
     SELECT station_id, code, id FROM scan_events WHERE station_id = ? AND decision = 'accepted' AND code IS NOT NULL`,
    [stationId],
  );
}
