import type { Knex } from 'knex';

/**
 * Journals are append-only by law of the product: corrections are compensating events. The
 * database itself refuses UPDATE and DELETE so no code path (or hand-run SQL) can rewrite history.
 */
export async function makeAppendOnly(knex: Knex, table: string): Promise<void> {
  const client = knex.client.config.client as string;
  if (client === 'pg') {
    await knex.raw(`
      CREATE OR REPLACE FUNCTION tracedock_append_only() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'append-only table %', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql`);
    await knex.raw(
      `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION tracedock_append_only()`,
    );
    return;
  }
  for (const op of ['UPDATE', 'DELETE']) {
    await knex.raw(
      `CREATE TRIGGER ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table} BEGIN SELECT RAISE(ABORT, 'append-only table ${table}'); END`,
    );
  }
}

export async function dropAppendOnly(knex: Knex, table: string): Promise<void> {
  const client = knex.client.config.client as string;
  if (client === 'pg') {
    await knex.raw(`DROP TRIGGER IF EXISTS ${table}_append_only ON ${table}`);
    return;
  }
  for (const op of ['update', 'delete']) await knex.raw(`DROP TRIGGER IF EXISTS ${table}_no_${op}`);
}
