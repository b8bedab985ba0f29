import type { Knex } from 'knex';

/**
 * Every scan and every undo carries who did it and for which unit (issue 4: every event records
 * operator, unit, station). Plain columns (ADD COLUMN), no foreign keys: adding a constraint to an
 * existing SQLite table means rebuilding it, and the journal is never rebuilt.
 */
export async function up(knex: Knex): Promise<void> {
  for (const table of ['scan_events', 'scan_undos']) {
    await knex.schema.alterTable(table, (t) => {
      t.integer('operator_id');
      t.integer('unit_id');
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['scan_events', 'scan_undos']) {
    await knex.schema.alterTable(table, (t) => {
      t.dropColumn('operator_id');
      t.dropColumn('unit_id');
    });
  }
}
