import type { Knex } from 'knex';
import { dropAppendOnly, makeAppendOnly } from './append-only.js';

// Times are epoch milliseconds in BIGINT columns: portable between SQLite and PostgreSQL and
// free of time-zone conversions (the UI renders them in the dock's local time).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('stations', (t) => {
    t.increments('id').primary();
    t.string('name', 100).notNullable().unique();
    t.string('kind', 20).notNullable().defaultTo('receiving');
    t.bigInteger('created_at').notNullable();
  });

  await knex.schema.createTable('scanners', (t) => {
    t.increments('id').primary();
    t.string('device_id', 300).notNullable().unique();
    t.string('transport', 20).notNullable();
    t.string('path', 500);
    t.string('label', 100);
    t.integer('station_id').notNullable().references('id').inTable('stations');
    t.text('options').notNullable().defaultTo('{}');
    t.boolean('enabled').notNullable().defaultTo(true);
    t.bigInteger('created_at').notNullable();
  });

  await knex.schema.createTable('scan_events', (t) => {
    t.bigIncrements('id').primary();
    t.integer('station_id').notNullable().references('id').inTable('stations');
    t.string('device_id', 300).notNullable();
    t.string('source', 20).notNullable();
    t.bigInteger('received_at').notNullable();
    t.bigInteger('recorded_at').notNullable();
    t.binary('raw').notNullable();
    t.text('text').notNullable();
    t.string('aim', 3);
    t.string('decision', 12).notNullable();
    t.string('reason_code', 60);
    t.text('reason');
    t.string('kind', 20);
    t.string('code', 300);
    t.text('detail');
    t.index(['station_id', 'id'], 'scan_events_station_idx');
    t.index(['code'], 'scan_events_code_idx');
    t.index(['station_id', 'received_at'], 'scan_events_station_time_idx');
  });
  await makeAppendOnly(knex, 'scan_events');

  // Projection kept in the scan's own transaction: which codes a station has accepted.
  await knex.schema.createTable('station_codes', (t) => {
    t.integer('station_id').notNullable().references('id').inTable('stations');
    t.string('code', 300).notNullable();
    t.bigInteger('first_scan_id').notNullable().references('id').inTable('scan_events');
    t.primary(['station_id', 'code']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('station_codes');
  await dropAppendOnly(knex, 'scan_events');
  await knex.schema.dropTableIfExists('scan_events');
  await knex.schema.dropTableIfExists('scanners');
  await knex.schema.dropTableIfExists('stations');
}
