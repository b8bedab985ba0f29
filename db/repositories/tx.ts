import type { Knex } from 'knex';

export type Queryable = Knex | Knex.Transaction;

/**
 * A transaction that takes the database's write lock before it reads anything. SQLite: a write as
 * the first statement waits on busy_timeout instead of failing with SQLITE_BUSY when two
 * connections read-then-write. PostgreSQL: an advisory lock serialises account writers, which
 * also keeps the audit chain linear (each entry needs the previous one's hash).
 */
export async function withWriteTx<T>(knex: Knex, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return knex.transaction(async (trx) => {
    if ((knex.client.config.client as string) === 'pg') await trx.raw('SELECT pg_advisory_xact_lock(?)', [0x7472_6163]);
    else await trx('meta').where({ key: 'write_lock' }).update({ value: '0' });
    return fn(trx);
  });
}

/**
 * True for a UNIQUE violation, optionally on one of `hints`: PostgreSQL names the index
 * (`constraint`), SQLite names the columns in its message (`UNIQUE constraint failed: t.col`).
 */
export function isUniqueViolation(err: unknown, ...hints: string[]): boolean {
  const e = err as { code?: string; message?: string; constraint?: string } | null;
  const unique = e?.code === '23505' || (e?.code === 'SQLITE_CONSTRAINT' && /UNIQUE constraint failed/.test(e.message ?? ''));
  if (!unique || hints.length === 0) return unique;
  return hints.some((h) => (e?.constraint ?? '') === h || (e?.message ?? '').includes(h));
}

/** Rows of a `knex.raw` SELECT: SQLite answers an array, PostgreSQL a result object with `rows`. */
export function rawRows<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** The id of an `INSERT … RETURNING id`: PostgreSQL answers `{id}`, SQLite may answer the bare number. */
export function insertedId(rows: unknown): number {
  const [row] = rows as Array<{ id: number | string } | number | string>;
  return Number(typeof row === 'object' && row !== null ? row.id : row);
}
