import type { Knex } from 'knex';

/**
 * Supervisor exports (issue 8). An export is a background job: the query's codes are frozen into
 * `export_codes` in one statement when the job starts, so the file, its progress (rows written of
 * `total`) and a later re-export all read the same snapshot, a page at a time, whatever the size.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('exports', (t) => {
    t.increments('id').primary();
    t.integer('unit_id').notNullable().references('id').inTable('units');
    t.integer('operator_id').references('id').inTable('operators');
    // 'codes' (a query's codes with their events) | 'recall' (a product batch or a code list)
    t.string('kind', 10).notNullable();
    t.string('format', 6).notNullable(); // 'csv' | 'xlsx' | 'epcis'
    t.text('query').notNullable(); // the validated query, JSON
    t.string('status', 10).notNullable(); // 'queued' | 'running' | 'done' | 'failed' | 'expired'
    t.integer('total').notNullable().defaultTo(0);
    t.integer('done').notNullable().defaultTo(0);
    t.string('file_name', 200);
    t.bigInteger('file_size');
    // Files holding personal data are written encrypted (notice §四); the password is shown once.
    t.boolean('encrypted').notNullable().defaultTo(false);
    t.integer('source_export_id').references('id').inTable('exports');
    t.text('error');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('started_at');
    t.bigInteger('finished_at');
    t.bigInteger('expires_at');
    t.index(['unit_id', 'id'], 'exports_unit_idx');
    t.index(['status'], 'exports_status_idx');
  });

  await knex.schema.createTable('export_codes', (t) => {
    t.integer('export_id').notNullable().references('id').inTable('exports');
    t.integer('seq').notNullable();
    t.string('code', 100).notNullable();
    t.primary(['export_id', 'seq']);
  });

  // Date-range queries (scan date) and the dashboard's per-hour figures read movements by time.
  await knex.schema.alterTable('movements', (t) => t.index(['unit_id', 'at'], 'movements_unit_at_idx'));
  // Batch queries and recall read a unit's codes by product and batch, a page at a time in code order.
  await knex.schema.alterTable('code_states', (t) => t.index(['unit_id', 'product_id', 'batch', 'code'], 'code_states_product_batch_idx'));
  // A document's reconciliation counts each expected line's codes by line: without this, every line read the whole table.
  await knex.schema.alterTable('document_expected_codes', (t) => t.index(['line_id'], 'document_expected_codes_line_idx'));
  // A sold code's timeline finds its sale (and the Gansu row that reported it) by the code.
  await knex.schema.alterTable('sale_lines', (t) => t.index(['code'], 'sale_lines_code_idx'));
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sale_lines', (t) => t.dropIndex([], 'sale_lines_code_idx'));
  await knex.schema.alterTable('document_expected_codes', (t) => t.dropIndex([], 'document_expected_codes_line_idx'));
  await knex.schema.alterTable('code_states', (t) => t.dropIndex([], 'code_states_product_batch_idx'));
  await knex.schema.alterTable('movements', (t) => t.dropIndex([], 'movements_unit_at_idx'));
  await knex.schema.dropTableIfExists('export_codes');
  await knex.schema.dropTableIfExists('exports');
}
