import type { Knex } from 'knex';

/**
 * The Gansu worker claims up to 10 000 rows of one unit in id order; with a backlog of 100 000
 * the due index made SQLite sort every pending row (payloads included) for each call. This one
 * hands them over in order, and serves "which units have rows due" too.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('upload_records', (t) => {
    t.index(['platform', 'state', 'unit_id', 'id'], 'upload_records_claim_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('upload_records', (t) => {
    t.dropIndex(['platform', 'state', 'unit_id', 'id'], 'upload_records_claim_idx');
  });
}
