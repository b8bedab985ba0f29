import type { StagingTables } from './relation-staging.js';
import { rawRows, type Queryable } from './tx.js';

/**
 * The cross-file rules of DOMAIN.md §3, each a set-based pass over the whole staging set joined
 * with the stored hierarchy. A clean file costs one pass per query; the listing of offenders only
 * grows when something is wrong.
 */

/** One offending staged code, with the facts its message needs. */
export interface ViolationRow {
  reason: string;
  code: string;
  parent: string | null;
  level: number;
  parentLevel: number | null;
  /** The stored parent (already_packed) or stored level (code_conflict). */
  storedParent: string | null;
  storedLevel: number | null;
  storedProduct: string | null;
  childProduct: string | null;
  parentProduct: string | null;
  /** Offenders of this reason in the whole file. */
  total: number;
}

export interface FillRow {
  parent: string;
  parentLevel: number;
  childLevel: number;
  filled: number;
  capacity: number;
  total: number;
}

export interface FillSummary {
  parents: number;
  partial: number;
  overfull: number;
}

// A 7-digit trace prefix names the product when master data has an active mapping (三码合一).
const mapping = (alias: string, code: string) =>
  `LEFT JOIN product_codes ${alias} ON ${alias}.kind = 'prefix' AND ${alias}.status = 'active' AND ${alias}.value = substr(${code}, 1, 7)`;

/**
 * Products are compared by master-data id when both sides have one, else by the files'
 * productCode; an unknown side (a CSV file carries none) cannot contradict anything.
 */
const CHILD_PID = 'coalesce(cm.product_id, k.product_id)';
const PARENT_PID = 'coalesce(pm.product_id, pk.product_id)';
const CHILD_PCODE = 'coalesce(g.product_code, k.product_code)';
const PARENT_PCODE = 'coalesce(pg.product_code, pk.product_code)';

// First matching rule wins, in a fixed order, so the same file always gets the same reasons.
// A null parent is "not stated": it neither conflicts with a stored parent nor needs one.
const REASON = `CASE
  WHEN k.code IS NOT NULL AND k.level <> s.level THEN 'code_conflict'
  WHEN k.code IS NOT NULL AND cm.product_id IS NULL AND g.product_code <> k.product_code THEN 'code_conflict'
  WHEN s.parent IS NULL THEN NULL
  WHEN s.parent = s.code THEN 'same_code'
  WHEN k.parent_code IS NOT NULL AND k.parent_code <> s.parent THEN 'already_packed'
  WHEN p.code IS NULL AND pk.code IS NULL THEN 'parent_missing'
  WHEN coalesce(p.level, pk.level) <= s.level THEN 'level_not_higher'
  WHEN (${CHILD_PID} IS NOT NULL AND ${PARENT_PID} IS NOT NULL AND ${CHILD_PID} <> ${PARENT_PID})
    OR ((${CHILD_PID} IS NULL OR ${PARENT_PID} IS NULL) AND ${CHILD_PCODE} <> ${PARENT_PCODE}) THEN 'product_mismatch'
  END`;

const productText = (pid: string, pcode: string) => `CASE WHEN ${pid} IS NOT NULL THEN '#' || CAST(${pid} AS TEXT) ELSE ${pcode} END`;

/** Every rule about one code and its stated parent; up to `perRule` offenders of each rule. */
export async function codeViolations(q: Queryable, t: StagingTables, perRule: number): Promise<ViolationRow[]> {
  const rows = rawRows<Record<string, unknown>>(
    await q.raw(
      `SELECT * FROM (
         SELECT x.*, row_number() OVER (PARTITION BY reason ORDER BY seq) AS rn, count(*) OVER (PARTITION BY reason) AS total FROM (
           SELECT s.seq, s.code, s.parent, s.level, coalesce(p.level, pk.level) AS parent_level,
                  k.parent_code AS stored_parent, k.level AS stored_level, k.product_code AS stored_product,
                  ${productText(CHILD_PID, CHILD_PCODE)} AS child_product, ${productText(PARENT_PID, PARENT_PCODE)} AS parent_product,
                  ${REASON} AS reason
           FROM ${t.stage} s
           LEFT JOIN ${t.group} g ON g.grp = s.grp
           LEFT JOIN packs k ON k.code = s.code
           ${mapping('cm', 's.code')}
           LEFT JOIN ${t.stage} p ON p.code = s.parent
           LEFT JOIN ${t.group} pg ON pg.grp = p.grp
           LEFT JOIN packs pk ON pk.code = s.parent
           ${mapping('pm', 's.parent')}
         ) x WHERE reason IS NOT NULL
       ) y WHERE rn <= ? ORDER BY reason, seq`,
      [perRule],
    ),
  );
  return rows.map((r) => ({
    reason: String(r.reason),
    code: String(r.code),
    parent: (r.parent as string | null) ?? null,
    level: Number(r.level),
    parentLevel: r.parent_level == null ? null : Number(r.parent_level),
    storedParent: (r.stored_parent as string | null) ?? null,
    storedLevel: r.stored_level == null ? null : Number(r.stored_level),
    storedProduct: (r.stored_product as string | null) ?? null,
    childProduct: (r.child_product as string | null) ?? null,
    parentProduct: (r.parent_product as string | null) ?? null,
    total: Number(r.total),
  }));
}

/**
 * Codes the file lists more than once (asked only when there are some). SQLite staging keeps one
 * row per code and counts repeats in `dups`; PostgreSQL staging keeps every row.
 */
export async function duplicateCodes(q: Queryable, t: StagingTables, limit: number): Promise<{ codes: string[]; total: number }> {
  const rows = rawRows<{ code: string; total: number | string }>(
    await q.raw(
      `SELECT code, count(*) OVER () AS total FROM (
         SELECT code, min(seq) AS first FROM ${t.stage} GROUP BY code HAVING count(*) > 1 OR max(dups) > 0
       ) d ORDER BY first LIMIT ?`,
      [limit],
    ),
  );
  return { codes: rows.map((r) => r.code), total: Number(rows[0]?.total ?? 0) };
}

/**
 * Fill of every parent that receives children from this file: its children in the file plus the
 * ones already stored under it, against the ratio step of the parent's group (or, for a parent
 * only stored, its children's group). No ratio, no count rule.
 */
const FILL = (t: StagingTables) => `
  WITH kids AS (
    SELECT parent, level AS child_level, count(*) AS n, min(grp) AS grp FROM ${t.stage} WHERE parent IS NOT NULL GROUP BY parent, level
  ), fill AS (
    SELECT kids.parent, coalesce(p.level, pk.level) AS parent_level, kids.child_level, c.capacity,
           kids.n + (SELECT count(*) FROM packs x WHERE x.parent_code = kids.parent AND x.level = kids.child_level
                     AND NOT EXISTS (SELECT 1 FROM ${t.stage} y WHERE y.code = x.code)) AS filled
    FROM kids
    LEFT JOIN ${t.stage} p ON p.code = kids.parent
    LEFT JOIN packs pk ON pk.code = kids.parent
    LEFT JOIN ${t.cap} c ON c.grp = coalesce(p.grp, kids.grp) AND c.parent_level = coalesce(p.level, pk.level) AND c.child_level = kids.child_level
  )`;

export async function fillSummary(q: Queryable, t: StagingTables): Promise<FillSummary> {
  const [r] = rawRows<Record<string, number | string | null>>(
    await q.raw(
      `${FILL(t)} SELECT count(DISTINCT parent) AS parents,
         sum(CASE WHEN filled < capacity THEN 1 ELSE 0 END) AS partial,
         sum(CASE WHEN filled > capacity THEN 1 ELSE 0 END) AS overfull FROM fill`,
    ),
  );
  return { parents: Number(r?.parents ?? 0), partial: Number(r?.partial ?? 0), overfull: Number(r?.overfull ?? 0) };
}

export async function overfullParents(q: Queryable, t: StagingTables, limit: number): Promise<FillRow[]> {
  const rows = rawRows<Record<string, number | string>>(
    await q.raw(
      `${FILL(t)} SELECT parent, parent_level, child_level, filled, capacity, count(*) OVER () AS total
       FROM fill WHERE filled > capacity ORDER BY parent LIMIT ?`,
      [limit],
    ),
  );
  return rows.map((r) => ({
    parent: String(r.parent),
    parentLevel: Number(r.parent_level),
    childLevel: Number(r.child_level),
    filled: Number(r.filled),
    capacity: Number(r.capacity),
    total: Number(r.total),
  }));
}
