import type { Queryable } from './tx.js';

/**
 * Set-based statements over many rows (DESIGN.md §5): the rows travel as ONE JSON parameter and
 * the database unpacks them (`json_each` on SQLite, `json_array_elements` on PostgreSQL). A
 * multi-row VALUES list would bind one parameter per cell, and knex compiling 10 000 of those per
 * statement costs more than the write itself.
 */
export type JsonColumnType = 'text' | 'integer' | 'bigint' | 'boolean';

export interface JsonColumn {
  name: string;
  type: JsonColumnType;
}

// Rows per statement: a few MB of JSON, well inside either database's limits.
const ROWS_PER_STATEMENT = 5000;

const isPg = (q: Queryable) => (q.client.config.client as string) === 'pg';

function rowsOf(result: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(result)) return result as Array<Record<string, unknown>>;
  return ((result as { rows?: Array<Record<string, unknown>> }).rows ?? []) as Array<Record<string, unknown>>;
}

/** SQLite has no boolean type: true/false travel as 1/0. */
const cell = (v: unknown) => (typeof v === 'boolean' ? (v ? 1 : 0) : (v ?? null));

export interface InsertOptions {
  /** Unique columns for `ON CONFLICT (…) DO UPDATE`. */
  onConflict?: readonly string[];
  /** Columns an existing row takes from the input (with onConflict). */
  merge?: readonly string[];
  returning?: readonly string[];
}

/** INSERT … SELECT … FROM <json rows> [ON CONFLICT … DO UPDATE] [RETURNING …], in chunks. */
export async function insertJsonRows(q: Queryable, table: string, columns: readonly JsonColumn[], rows: ReadonlyArray<readonly unknown[]>, o: InsertOptions = {}): Promise<Array<Record<string, unknown>>> {
  const pg = isPg(q);
  const names = columns.map((c) => `"${c.name}"`).join(', ');
  const select = pg
    ? columns.map((c, i) => `(t.v->>${i})::${c.type}`).join(', ') + ' FROM json_array_elements(?::json) AS t(v)'
    : // WHERE true: without it SQLite would read ON CONFLICT as a join constraint of the SELECT.
      columns.map((_c, i) => `value->>${i}`).join(', ') + ' FROM json_each(?) WHERE true';
  const conflict = o.onConflict?.length
    ? ` ON CONFLICT (${o.onConflict.map((c) => `"${c}"`).join(', ')}) DO UPDATE SET ${(o.merge ?? []).map((c) => `"${c}" = excluded."${c}"`).join(', ')}`
    : '';
  const returning = o.returning?.length ? ` RETURNING ${o.returning.map((c) => `"${c}"`).join(', ')}` : '';
  const sql = `INSERT INTO "${table}" (${names}) SELECT ${select}${conflict}${returning}`;
  const out: Array<Record<string, unknown>> = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const json = JSON.stringify(rows.slice(i, i + ROWS_PER_STATEMENT).map((r) => r.map(cell)));
    out.push(...rowsOf(await q.raw(sql, [json])));
  }
  return out;
}

/**
 * `column IN (<values>)` for `whereRaw(...inJsonList(…))`: one parameter however many values,
 * where a plain whereIn would bind (and knex compile) each one.
 */
export function inJsonList(q: Queryable, column: string, values: ReadonlyArray<string | number>, type: 'text' | 'integer'): [string, string[]] {
  const list = isPg(q) ? `SELECT value::${type} FROM json_array_elements_text(?::json)` : 'SELECT value FROM json_each(?)';
  return [`?? IN (${list})`, [column, JSON.stringify(values)]];
}
