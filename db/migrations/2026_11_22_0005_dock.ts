import type { Knex } from 'knex';
import { dropAppendOnly, makeAppendOnly } from './append-only.js';

/**
 * The dock (issue 5): master data, the three-code mapping, package hierarchy, documents, code
 * states and their journal. Journals (`*_events`, `movements`, `movement_codes`,
 * `circulation_records`) are append-only; `code_states`, `packs` and `station_context` are
 * projections kept in the same transaction as the events that change them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('products', (t) => {
    t.increments('id').primary();
    // The enterprise's own product number (商品编号): the key imports upsert on.
    t.string('code', 60).notNullable().unique();
    t.string('name', 200).notNullable();
    t.string('generic_name', 200);
    t.string('spec', 200);
    t.string('package_spec', 200);
    t.string('manufacturer', 200);
    t.string('approval_no', 60);
    t.string('dosage_form', 60);
    t.string('nhsa_code', 40);
    t.string('nhsa_kind', 12);
    t.string('ratio', 40);
    t.boolean('prescription').notNullable().defaultTo(false);
    t.boolean('ephedrine').notNullable().defaultTo(false);
    t.boolean('narcotic_compound').notNullable().defaultTo(false);
    t.boolean('special_control').notNullable().defaultTo(false);
    t.boolean('no_code_exempt').notNullable().defaultTo(false);
    // Outbound refuses a blocked product (recalled line, licence problem) without touching stock.
    t.boolean('blocked').notNullable().defaultTo(false);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['nhsa_code'], 'products_nhsa_idx');
  });

  // 三码合一 at the workstation: a 7-digit trace prefix or a GTIN names product and level.
  await knex.schema.createTable('product_codes', (t) => {
    t.increments('id').primary();
    t.integer('product_id').notNullable().references('id').inTable('products');
    t.integer('level').notNullable();
    t.string('kind', 10).notNullable(); // 'prefix' | 'gtin'
    t.string('value', 20).notNullable();
    t.string('status', 10).notNullable(); // 'pending' | 'active' | 'rejected' | 'retired'
    t.integer('proposed_by').references('id').inTable('operators');
    t.bigInteger('proposed_at').notNullable();
    t.integer('decided_by').references('id').inTable('operators');
    t.bigInteger('decided_at');
    t.index(['product_id'], 'product_codes_product_idx');
  });
  await knex.raw(`CREATE UNIQUE INDEX product_codes_active_uq ON product_codes (kind, value) WHERE status = 'active'`);
  await knex.raw(`CREATE UNIQUE INDEX product_codes_pending_uq ON product_codes (kind, value) WHERE status = 'pending'`);

  await knex.schema.createTable('product_code_events', (t) => {
    t.bigIncrements('id').primary();
    t.integer('product_code_id').notNullable().references('id').inTable('product_codes');
    t.string('action', 12).notNullable(); // 'imported' | 'proposed' | 'approved' | 'rejected' | 'retired'
    t.integer('operator_id').references('id').inTable('operators');
    t.bigInteger('at').notNullable();
    t.text('detail');
    t.index(['product_code_id'], 'product_code_events_code_idx');
  });
  await makeAppendOnly(knex, 'product_code_events');

  await knex.schema.createTable('counterparties', (t) => {
    t.increments('id').primary();
    t.integer('unit_id').notNullable().references('id').inTable('units');
    t.string('name', 200).notNullable();
    t.string('uscc', 18).notNullable();
    t.string('type', 20).notNullable();
    t.string('address', 300);
    t.string('licence_no', 100);
    t.text('platform_ids').notNullable().defaultTo('{}');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.unique(['unit_id', 'uscc'], { indexName: 'counterparties_unit_uscc_uq' });
  });

  await knex.schema.createTable('relation_imports', (t) => {
    t.increments('id').primary();
    t.integer('unit_id').references('id').inTable('units');
    t.integer('operator_id').references('id').inTable('operators');
    t.string('file_name', 300).notNullable();
    t.string('format', 8).notNullable();
    t.string('status', 12).notNullable(); // 'running' | 'done' | 'failed'
    t.integer('records').notNullable().defaultTo(0);
    t.text('error');
    t.bigInteger('started_at').notNullable();
    t.bigInteger('finished_at');
  });

  // Current hierarchy (projection). Imported relations land here set-based; dock changes also
  // write pack_events. `product_code` is the relation file's productCode when master data has no mapping yet.
  await knex.schema.createTable('packs', (t) => {
    t.string('code', 100).primary();
    t.integer('level').notNullable();
    t.integer('product_id').references('id').inTable('products');
    t.string('product_code', 60);
    t.string('batch', 60);
    t.string('made_date', 10);
    t.string('expiry', 10);
    t.string('parent_code', 100);
    t.string('source', 10).notNullable(); // 'import' | 'dock'
    t.integer('import_id').references('id').inTable('relation_imports');
    t.bigInteger('updated_at').notNullable();
    t.index(['parent_code'], 'packs_parent_idx');
  });

  await knex.schema.createTable('pack_events', (t) => {
    t.bigIncrements('id').primary();
    t.string('kind', 10).notNullable(); // 'pack' | 'unpack'
    t.string('code', 100).notNullable();
    t.string('parent_code', 100).notNullable();
    t.bigInteger('scan_id').references('id').inTable('scan_events');
    t.integer('station_id').references('id').inTable('stations');
    t.integer('operator_id').references('id').inTable('operators');
    t.integer('unit_id').references('id').inTable('units');
    t.bigInteger('compensates').references('id').inTable('pack_events');
    t.text('reason');
    t.bigInteger('at').notNullable();
    t.index(['code'], 'pack_events_code_idx');
    t.index(['parent_code'], 'pack_events_parent_idx');
  });
  await makeAppendOnly(knex, 'pack_events');

  await knex.schema.createTable('documents', (t) => {
    t.increments('id').primary();
    t.integer('unit_id').notNullable().references('id').inTable('units');
    t.string('direction', 3).notNullable(); // 'in' | 'out'
    t.string('number', 60).notNullable();
    t.string('type', 6).notNullable();
    t.integer('counterparty_id').notNullable().references('id').inTable('counterparties');
    t.string('delivery_note', 60);
    t.string('status', 10).notNullable(); // 'open' | 'completed' | 'cancelled'
    t.integer('created_by').references('id').inTable('operators');
    t.bigInteger('created_at').notNullable();
    t.integer('completed_by').references('id').inTable('operators');
    t.bigInteger('completed_at');
    t.unique(['unit_id', 'number'], { indexName: 'documents_unit_number_uq' });
    t.index(['unit_id', 'status'], 'documents_status_idx');
  });

  // Expected content: a code (a case stands for its units) or a product with a quantity in units.
  await knex.schema.createTable('document_lines', (t) => {
    t.increments('id').primary();
    t.integer('document_id').notNullable().references('id').inTable('documents');
    t.integer('line_no').notNullable();
    t.string('code', 100);
    t.integer('product_id').references('id').inTable('products');
    t.integer('quantity');
    t.string('batch', 60);
    t.index(['document_id'], 'document_lines_doc_idx');
  });

  // The unit codes an expected-code line stands for, expanded through the hierarchy once.
  await knex.schema.createTable('document_expected_codes', (t) => {
    t.integer('document_id').notNullable().references('id').inTable('documents');
    t.string('code', 100).notNullable();
    t.integer('line_id').notNullable().references('id').inTable('document_lines');
    t.primary(['document_id', 'code']);
  });

  await knex.schema.createTable('movements', (t) => {
    t.bigIncrements('id').primary();
    t.integer('unit_id').notNullable().references('id').inTable('units');
    // 'receive' | 'pick' | 'complete' | 'cancel' | 'undo' | 'lock' | 'unlock' | 'return' | 'scrap'
    t.string('kind', 10).notNullable();
    t.integer('document_id').references('id').inTable('documents');
    t.bigInteger('scan_id').references('id').inTable('scan_events');
    t.integer('station_id').references('id').inTable('stations');
    t.integer('operator_id').references('id').inTable('operators');
    t.bigInteger('compensates').references('id').inTable('movements');
    t.text('reason');
    t.bigInteger('at').notNullable();
    t.index(['document_id'], 'movements_doc_idx');
    t.index(['scan_id'], 'movements_scan_idx');
    t.index(['compensates'], 'movements_compensates_idx');
  });
  await makeAppendOnly(knex, 'movements');

  await knex.schema.createTable('movement_codes', (t) => {
    t.bigInteger('movement_id').notNullable().references('id').inTable('movements');
    t.string('code', 100).notNullable();
    t.integer('level');
    t.string('from_state', 10).notNullable();
    t.string('to_state', 10).notNullable();
    t.integer('from_document_id');
    t.integer('to_document_id');
    t.primary(['movement_id', 'code']);
    t.index(['code'], 'movement_codes_code_idx');
  });
  await makeAppendOnly(knex, 'movement_codes');

  // Where every code stands now, per unit (a code's life at one site, DOMAIN.md §4).
  await knex.schema.createTable('code_states', (t) => {
    t.integer('unit_id').notNullable().references('id').inTable('units');
    t.string('code', 100).notNullable();
    // 'receiving' | 'in_stock' | 'picking' | 'shipped' | 'returned' | 'scrapped' | 'locked'
    t.string('state', 10).notNullable();
    t.integer('level');
    t.integer('product_id');
    t.string('batch', 60);
    t.string('expiry', 10);
    t.integer('document_id');
    t.bigInteger('movement_id').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.primary(['unit_id', 'code']);
    t.index(['document_id'], 'code_states_doc_idx');
  });

  await knex.schema.createTable('circulation_records', (t) => {
    t.bigIncrements('id').primary();
    t.integer('document_id').notNullable().unique().references('id').inTable('documents');
    t.bigInteger('movement_id').notNullable().references('id').inTable('movements');
    t.integer('unit_id').notNullable().references('id').inTable('units');
    t.string('direction', 3).notNullable();
    t.string('circulation_unit_name', 200).notNullable();
    t.string('circulation_unit_uscc', 18).notNullable();
    t.bigInteger('circulation_time').notNullable();
    t.string('shipper_name', 200).notNullable();
    t.string('shipper_uscc', 18).notNullable();
    t.bigInteger('ship_time');
    t.string('ship_status', 12).notNullable();
    t.string('receiver_name', 200).notNullable();
    t.string('receiver_uscc', 18).notNullable();
    t.bigInteger('receive_time');
    t.string('receive_status', 12).notNullable();
    t.integer('code_count').notNullable();
    t.bigInteger('created_at').notNullable();
  });
  await makeAppendOnly(knex, 'circulation_records');

  // What a station is working on: the open document (receiving/dispatch) or the open parent (aggregation).
  await knex.schema.createTable('station_context', (t) => {
    t.integer('station_id').primary().references('id').inTable('stations');
    t.integer('document_id').references('id').inTable('documents');
    t.string('open_parent', 100);
    t.string('mode', 8).notNullable().defaultTo('pack');
    // A trace code whose prefix is unknown, waiting for the pack's commodity barcode (learn flow).
    t.string('learn_code', 100);
    t.bigInteger('updated_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('station_context');
  for (const t of ['circulation_records', 'movement_codes', 'movements', 'pack_events', 'product_code_events']) await dropAppendOnly(knex, t);
  for (const t of [
    'circulation_records',
    'code_states',
    'movement_codes',
    'movements',
    'document_expected_codes',
    'document_lines',
    'documents',
    'pack_events',
    'packs',
    'relation_imports',
    'counterparties',
    'product_code_events',
    'product_codes',
    'products',
  ]) {
    await knex.schema.dropTableIfExists(t);
  }
}
