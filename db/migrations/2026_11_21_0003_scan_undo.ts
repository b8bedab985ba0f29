import type { Knex } from 'knex';
import { dropAppendOnly, makeAppendOnly } from './append-only.js';

// Undo of a scan is a compensating event with a reason, never a DELETE of the journal (DESIGN.md §2).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('scan_undos', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('scan_id').notNullable().unique().references('id').inTable('scan_events');
    t.integer('station_id').notNullable().references('id').inTable('stations');
    t.text('reason').notNullable();
    t.string('source', 20).notNullable();
    t.bigInteger('created_at').notNullable();
  });
  await makeAppendOnly(knex, 'scan_undos');
}

export async function down(knex: Knex): Promise<void> {
  await dropAppendOnly(knex, 'scan_undos');
  await knex.schema.dropTableIfExists('scan_undos');
}
