import { rawRows, type Queryable } from './tx.js';

/**
 * The recall report's statements (issue 8 item 3). Every figure is one set-based statement over the
 * scope — a product batch read through code_states(unit_id, product_id, batch), or a pasted list
 * travelling as ONE JSON parameter — so 100 000 units cost a handful of statements, never one each.
 */
export type RecallScope = { kind: 'batch'; unitId: number; productId: number; batch: string } | { kind: 'codes'; unitId: number; codes: readonly string[] };

export type RecallSortKey = 'code' | 'status' | 'counterparty' | 'document' | 'since';

type Raw = Record<string, unknown>;
const isPg = (q: Queryable) => (q.client.config.client as string) === 'pg';

/** Where a unit is now, from its state and the document it left with (202 return-out, 205 destruction). */
const STATUS = `CASE WHEN cs.code IS NULL THEN (CASE WHEN p.code IS NULL THEN 'not_found' ELSE 'not_received' END)
  WHEN cs.state = 'shipped' AND d.type = '202' THEN 'returned'
  WHEN cs.state = 'shipped' AND d.type = '205' THEN 'scrapped'
  ELSE cs.state END`;

// The order the report lists states in (the contract's RECALL_STATUSES).
const STATUS_RANK = `CASE ${STATUS} WHEN 'in_stock' THEN 0 WHEN 'locked' THEN 1 WHEN 'receiving' THEN 2 WHEN 'picking' THEN 3 WHEN 'shipped' THEN 4
  WHEN 'sold' THEN 5 WHEN 'returned' THEN 6 WHEN 'scrapped' THEN 7 WHEN 'not_received' THEN 8 ELSE 9 END`;

/** Sort keys over `UNIT_JOINS`, and whether cutting a page by them needs those joins at all. */
const SORT_KEY: Record<RecallSortKey, { expr: string | null; joins: boolean }> = {
  code: { expr: null, joins: false },
  status: { expr: STATUS_RANK, joins: true },
  // Whom the unit went to (or is coming from): a unit in stock sorts with those that have nobody.
  counterparty: { expr: "CASE WHEN d.direction = 'out' OR cs.state = 'receiving' THEN c.name END", joins: true },
  document: { expr: 'd.number', joins: true },
  since: { expr: 'cs.updated_at', joins: true },
};

/** A unit's state, current document and counterparty, and pack: `s` is any relation with a `code`. */
const UNIT_JOINS = `LEFT JOIN code_states cs ON cs.unit_id = ? AND cs.code = s.code
  LEFT JOIN documents d ON d.id = cs.document_id
  LEFT JOIN counterparties c ON c.id = d.counterparty_id
  LEFT JOIN packs p ON p.code = s.code`;

const UNIT_COLUMNS = `s.code, ${STATUS} AS status, cs.document_id, cs.movement_id, cs.updated_at AS since,
  COALESCE(cs.product_id, p.product_id) AS product_id, COALESCE(cs.batch, p.batch) AS batch, COALESCE(cs.expiry, p.expiry) AS expiry,
  d.number AS doc_number, d.direction AS doc_direction, d.type AS doc_type, d.status AS doc_status, d.completed_at AS doc_at,
  c.id AS cp_id, c.name AS cp_name, c.uscc AS cp_uscc, p.parent_code, p.import_id`;

/** Inbound completions that put the code in stock here: the first is where it came from. */
const receipt = (agg: 'MIN' | 'MAX', alias: string) =>
  `(SELECT ${agg}(mc.movement_id) FROM movement_codes mc JOIN movements m ON m.id = mc.movement_id
     WHERE mc.code = ${alias}.code AND mc.to_state = 'in_stock' AND m.kind = 'complete' AND m.unit_id = ?)`;

type Sql = { sql: string; bindings: Array<string | number> };

/**
 * `WITH … scope(code)`: the unit codes (level 1) of the scope. A listed case or middle pack stands
 * for every unit inside it now or ever (packs and pack_events, so boxes split off before shipping
 * count too); the hierarchy has at most three levels, so four steps reach the bottom without a
 * recursive CTE (PostgreSQL allows one recursive reference only, and both edge tables are needed).
 */
function scopeSql(q: Queryable, s: RecallScope): Sql {
  if (s.kind === 'batch') {
    return {
      sql: `WITH scope(code) AS (SELECT code FROM code_states WHERE unit_id = ? AND product_id = ? AND batch = ? AND COALESCE(level, 1) = 1)`,
      bindings: [s.unitId, s.productId, s.batch],
    };
  }
  const list = isPg(q) ? 'json_array_elements_text(?::json)' : 'json_each(?)';
  // CROSS JOIN: SQLite keeps the listed codes as the outer loop (down packs(parent_code)) instead of
  // scanning every stored pack against them; PostgreSQL plans it like any inner join.
  const step = (from: string) =>
    `SELECT p.code FROM ${from} f CROSS JOIN packs p WHERE p.parent_code = f.code UNION SELECT e.code FROM ${from} f CROSS JOIN pack_events e WHERE e.parent_code = f.code`;
  return {
    sql: `WITH d1(code) AS (SELECT DISTINCT value FROM ${list}),
      d2(code) AS (${step('d1')}), d3(code) AS (${step('d2')}), d4(code) AS (${step('d3')}),
      closure(code) AS (SELECT code FROM d1 UNION SELECT code FROM d2 UNION SELECT code FROM d3 UNION SELECT code FROM d4),
      scope(code) AS (SELECT c.code FROM closure c LEFT JOIN code_states cs ON cs.unit_id = ? AND cs.code = c.code LEFT JOIN packs p ON p.code = c.code
                      WHERE COALESCE(cs.level, p.level, 1) = 1)`,
    bindings: [JSON.stringify(s.codes), s.unitId],
  };
}

/** `, base AS (…)`: every unit of the scope with its state, document, counterparty and pack (for the aggregates). */
function withBase(q: Queryable, s: RecallScope): Sql {
  const scope = scopeSql(q, s);
  return { sql: `${scope.sql}, base AS (SELECT ${UNIT_COLUMNS} FROM scope s ${UNIT_JOINS})`, bindings: [...scope.bindings, s.unitId] };
}

/** Units per state and document (and counterparty): the status counts and the forward call list in one pass. */
export interface RecallGroupRow {
  status: string;
  counterparty: { id: number; name: string; uscc: string } | null;
  document: { id: number; number: string; direction: 'in' | 'out'; type: string; status: 'open' | 'completed' | 'cancelled' } | null;
  /** The document's completion (shipping or receipt) time. */
  at: number | null;
  units: number;
  /** Distinct movements behind the group: for `sold`, the number of sales. */
  movements: number;
}

export interface RecallOriginCount {
  origin: 'received' | 'made' | 'unknown';
  units: number;
}

/** One unit of the report, as the database answers it (see RecallService for the view). */
export interface RecallUnitRecord {
  code: string;
  status: string;
  since: number | null;
  productId: number | null;
  productName: string | null;
  batch: string | null;
  expiry: string | null;
  parent: string | null;
  outerCase: string | null;
  document: RecallGroupRow['document'];
  counterparty: RecallGroupRow['counterparty'];
  move: { kind: string; at: number; reason: string | null } | null;
  first: { documentId: number; number: string; at: number; counterparty: RecallGroupRow['counterparty'] | null } | null;
  last: { documentId: number; number: string; at: number; counterparty: RecallGroupRow['counterparty'] | null } | null;
  import: { file: string; at: number } | null;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const party = (r: Raw, p: string) => (r[`${p}_id`] === null || r[`${p}_id`] === undefined ? null : { id: Number(r[`${p}_id`]), name: String(r[`${p}_name`]), uscc: String(r[`${p}_uscc`]) });

const docOf = (r: Raw, id: string, p: string): RecallGroupRow['document'] =>
  r[id] === null || r[id] === undefined
    ? null
    : { id: Number(r[id]), number: String(r[`${p}_number`]), direction: r[`${p}_direction`] as 'in' | 'out', type: String(r[`${p}_type`]), status: r[`${p}_status`] as 'open' | 'completed' | 'cancelled' };

function toUnit(r: Raw): RecallUnitRecord {
  const parent = str(r.parent_code);
  const outer = str(r.parent3) ?? str(r.parent2) ?? parent;
  return {
    code: String(r.code),
    status: String(r.status),
    since: num(r.since),
    productId: num(r.product_id),
    productName: str(r.product_name),
    batch: str(r.batch),
    expiry: str(r.expiry),
    parent,
    outerCase: outer,
    document: docOf(r, 'document_id', 'doc'),
    counterparty: party(r, 'cp'),
    move: r.move_kind === null || r.move_kind === undefined ? null : { kind: String(r.move_kind), at: Number(r.move_at), reason: str(r.move_reason) },
    first: r.first_doc_id === null || r.first_doc_id === undefined ? null : { documentId: Number(r.first_doc_id), number: String(r.first_number), at: Number(r.first_at), counterparty: party(r, 'first_cp') },
    last: r.last_doc_id === null || r.last_doc_id === undefined ? null : { documentId: Number(r.last_doc_id), number: String(r.last_number), at: Number(r.last_at), counterparty: party(r, 'last_cp') },
    import: r.import_file === null || r.import_file === undefined ? null : { file: String(r.import_file), at: Number(r.import_at) },
  };
}

export interface RecallPageRequest {
  sort: RecallSortKey;
  dir: 'asc' | 'desc';
  limit: number;
  /** Offset paging for the screen, or keyset paging by code (`after`) for the streamed file. */
  offset?: number;
  after?: string;
}

export class RecallRepository {
  /** Units per state, document and counterparty: a few dozen groups for any number of units. */
  async groups(q: Queryable, s: RecallScope): Promise<RecallGroupRow[]> {
    const b = withBase(q, s);
    const rows = rawRows<Raw>(
      await q.raw(
        `${b.sql} SELECT status, cp_id, cp_name, cp_uscc, document_id, doc_number, doc_direction, doc_type, doc_status, doc_at, COUNT(*) AS n, COUNT(DISTINCT movement_id) AS moves
         FROM base GROUP BY status, cp_id, cp_name, cp_uscc, document_id, doc_number, doc_direction, doc_type, doc_status, doc_at`,
        b.bindings,
      ),
    );
    return rows.map((r) => ({ status: String(r.status), counterparty: party(r, 'cp'), document: docOf(r, 'document_id', 'doc'), at: num(r.doc_at), units: Number(r.n), movements: Number(r.moves) }));
  }

  /** Where units came from: the first inbound receipt per document, and how many were made here or are of unknown origin. */
  async backward(q: Queryable, s: RecallScope): Promise<{ lines: RecallGroupRow[]; origins: RecallOriginCount[] }> {
    const b = withBase(q, s);
    const rows = rawRows<Raw>(
      await q.raw(
        `${b.sql},
         fi AS (SELECT base.code, base.import_id, ${receipt('MIN', 'base')} AS first_in FROM base),
         o AS (SELECT fi.first_in, CASE WHEN fi.first_in IS NOT NULL THEN 'received' WHEN ri.id IS NOT NULL THEN 'made' ELSE 'unknown' END AS origin
               FROM fi LEFT JOIN relation_imports ri ON ri.id = fi.import_id AND ri.unit_id = ?)
         SELECT o.origin, fc.id AS cp_id, fc.name AS cp_name, fc.uscc AS cp_uscc, fd.id AS doc_id, fd.number AS doc_number, fd.direction AS doc_direction, fd.type AS doc_type, fd.status AS doc_status, fm.at, COUNT(*) AS n
         FROM o LEFT JOIN movements fm ON fm.id = o.first_in LEFT JOIN documents fd ON fd.id = fm.document_id LEFT JOIN counterparties fc ON fc.id = fd.counterparty_id
         GROUP BY o.origin, fc.id, fc.name, fc.uscc, fd.id, fd.number, fd.direction, fd.type, fd.status, fm.at`,
        [...b.bindings, s.unitId, s.unitId],
      ),
    );
    const origins = new Map<RecallOriginCount['origin'], number>();
    const lines: RecallGroupRow[] = [];
    for (const r of rows) {
      const origin = r.origin as RecallOriginCount['origin'];
      origins.set(origin, (origins.get(origin) ?? 0) + Number(r.n));
      if (origin === 'received') lines.push({ status: 'received', counterparty: party(r, 'cp'), document: docOf(r, 'doc_id', 'doc'), at: num(r.at), units: Number(r.n), movements: 1 });
    }
    return { lines, origins: [...origins].map(([origin, units]) => ({ origin, units })) };
  }

  /**
   * One page of units with everything the report shows about each. The page is cut from the scope
   * first — joined only as far as the sort key needs — then the details, receipts, outer case and
   * import are read for its rows alone.
   */
  async page(q: Queryable, s: RecallScope, p: RecallPageRequest): Promise<{ rows: RecallUnitRecord[]; total: number | null }> {
    const scope = scopeSql(q, s);
    const keyset = p.after !== undefined;
    // The streamed file walks the scope by code (keyset); the screen sorts as asked and pages by offset.
    const dir = p.dir === 'desc' && !keyset ? 'DESC' : 'ASC';
    const key = keyset ? SORT_KEY.code : SORT_KEY[p.sort];
    // NULLs last in both directions and on both databases (SQLite puts them first, PostgreSQL last).
    const order = (k: string | null, code: string) => (k ? `(${k}) IS NULL, ${k} ${dir}, ${code} ASC` : `${code} ${dir}`);
    // MATERIALIZED (SQLite ≥ 3.35, PostgreSQL ≥ 12): the page is cut once and each code's receipts
    // are looked up once (per code through movement_codes(code), never by walking the unit's journal).
    const sql = `${scope.sql},
      page AS MATERIALIZED (SELECT s.code, ${key.expr ?? 'NULL'} AS sort_key, ${keyset ? 'NULL' : 'COUNT(*) OVER ()'} AS total
               FROM scope s ${key.joins ? UNIT_JOINS : ''} ${keyset ? 'WHERE s.code > ?' : ''}
               ORDER BY ${order(key.expr, 's.code')} LIMIT ? OFFSET ?),
      rc AS MATERIALIZED (SELECT s.code, ${receipt('MIN', 's')} AS first_in, ${receipt('MAX', 's')} AS last_in FROM page s)
      SELECT ${UNIT_COLUMNS}, s.sort_key, s.total, m.kind AS move_kind, m.at AS move_at, m.reason AS move_reason, pr.name AS product_name,
             a2.parent_code AS parent2, a3.parent_code AS parent3,
             fm.at AS first_at, fd.id AS first_doc_id, fd.number AS first_number, fc.id AS first_cp_id, fc.name AS first_cp_name, fc.uscc AS first_cp_uscc,
             lm.at AS last_at, ld.id AS last_doc_id, ld.number AS last_number, lc.id AS last_cp_id, lc.name AS last_cp_name, lc.uscc AS last_cp_uscc,
             ri.file_name AS import_file, ri.started_at AS import_at
      FROM page s ${UNIT_JOINS}
      LEFT JOIN rc ON rc.code = s.code
      LEFT JOIN movements m ON m.id = cs.movement_id
      LEFT JOIN products pr ON pr.id = COALESCE(cs.product_id, p.product_id)
      LEFT JOIN packs a2 ON a2.code = p.parent_code
      LEFT JOIN packs a3 ON a3.code = a2.parent_code
      LEFT JOIN movements fm ON fm.id = rc.first_in LEFT JOIN documents fd ON fd.id = fm.document_id LEFT JOIN counterparties fc ON fc.id = fd.counterparty_id
      LEFT JOIN movements lm ON lm.id = rc.last_in LEFT JOIN documents ld ON ld.id = lm.document_id LEFT JOIN counterparties lc ON lc.id = ld.counterparty_id
      LEFT JOIN relation_imports ri ON ri.id = p.import_id AND ri.unit_id = ?
      ORDER BY ${order(key.expr ? 's.sort_key' : null, 's.code')}`;
    const bindings = [
      ...scope.bindings,
      ...(key.joins ? [s.unitId] : []),
      ...(p.after !== undefined ? [p.after] : []),
      p.limit,
      keyset ? 0 : (p.offset ?? 0),
      s.unitId, // rc: first receipt
      s.unitId, // rc: last receipt
      s.unitId, // UNIT_JOINS
      s.unitId, // ri
    ];
    const rows = rawRows<Raw>(await q.raw(sql, bindings));
    return { rows: rows.map(toUnit), total: rows.length > 0 && !keyset ? Number(rows[0]!.total) : null };
  }

  /** Units in the scope (for a page past the end, where the window count has no row to ride on). */
  async count(q: Queryable, s: RecallScope): Promise<number> {
    const scope = scopeSql(q, s);
    const [r] = rawRows<Raw>(await q.raw(`${scope.sql} SELECT COUNT(*) AS n FROM scope`, scope.bindings));
    return Number(r?.n ?? 0);
  }

  /** Batches of a product among this unit's units, newest-looking first, for the batch picker. */
  async batches(q: Queryable, unitId: number, productId: number): Promise<Array<{ batch: string; units: number }>> {
    const rows = (await q('code_states')
      .where({ unit_id: unitId, product_id: productId })
      .whereNotNull('batch')
      .whereRaw('COALESCE(level, 1) = 1')
      .groupBy('batch')
      .orderBy('batch', 'desc')
      .limit(500)
      .select('batch')
      .count({ n: '*' })) as Array<{ batch: string; n: number | string }>;
    return rows.map((r) => ({ batch: r.batch, units: Number(r.n) }));
  }
}
