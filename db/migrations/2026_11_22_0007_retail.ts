import type { Knex } from 'knex';
import { dropAppendOnly, makeAppendOnly } from './append-only.js';

/**
 * The retail counter (issue 7): sales of key varieties with the buyer and the prescription, the
 * dedicated register (专册), and the sale-rule table in versions. Columns ending in `_enc` hold
 * AES-256-GCM text (server/security/field-crypto.ts) — buyer names, ID numbers, phones and
 * addresses are the most sensitive data the workstation holds (DOMAIN.md §9); `_index` columns are
 * keyed HMACs so "earlier sales of this ID" is a lookup without decrypting anything.
 */
export async function up(knex: Knex): Promise<void> {
  // Every change of the rule table is a new version; a sale records the version it was decided by.
  await knex.schema.createTable('retail_rule_sets', (t) => {
    t.increments('id').primary();
    t.integer('unit_id').references('id').inTable('units');
    t.text('rules').notNullable();
    t.text('note');
    t.integer('created_by').references('id').inTable('operators');
    t.bigInteger('created_at').notNullable();
    t.index(['unit_id', 'id'], 'retail_rule_sets_unit_idx');
  });
  await makeAppendOnly(knex, 'retail_rule_sets');

  await knex.schema.createTable('sales', (t) => {
    t.increments('id').primary();
    t.integer('unit_id').notNullable().references('id').inTable('units');
    t.integer('station_id').references('id').inTable('stations');
    t.string('number', 40).notNullable();
    t.string('status', 10).notNullable(); // open · completed · cancelled
    t.text('buyer_name_enc');
    t.text('buyer_id_enc');
    t.string('buyer_id_index', 64);
    t.text('buyer_phone_enc');
    t.text('buyer_residence_enc');
    t.string('prescription_no', 60);
    t.string('prescriber', 100);
    t.string('prescription_hospital', 200);
    t.string('prescription_date', 10);
    // File name under <data dir>/prescriptions (the photo, encrypted at rest).
    t.string('prescription_photo', 100);
    t.integer('rule_set_id').references('id').inTable('retail_rule_sets');
    t.text('warnings');
    t.bigInteger('movement_id').references('id').inTable('movements');
    t.integer('created_by').references('id').inTable('operators');
    t.bigInteger('created_at').notNullable();
    t.integer('completed_by').references('id').inTable('operators');
    t.bigInteger('completed_at');
    t.text('cancel_reason');
    t.unique(['unit_id', 'number'], { indexName: 'sales_unit_number_uq' });
    t.index(['unit_id', 'status'], 'sales_status_idx');
    t.index(['buyer_id_index', 'completed_at'], 'sales_buyer_idx');
    t.index(['unit_id', 'completed_at'], 'sales_completed_idx');
  });

  // One row per scanned pack (a trace code), or per exempt product's commodity barcode with a count.
  await knex.schema.createTable('sale_lines', (t) => {
    t.increments('id').primary();
    t.integer('sale_id').notNullable().references('id').inTable('sales');
    t.string('code', 100).notNullable();
    t.boolean('traceable').notNullable();
    t.integer('product_id').notNullable().references('id').inTable('products');
    t.integer('packs').notNullable();
    t.string('categories', 12).notNullable(); // 'YB,YC' …
    t.string('batch', 60);
    t.bigInteger('added_at').notNullable();
    t.unique(['sale_id', 'code'], { indexName: 'sale_lines_sale_code_uq' });
  });

  // 专册: what the notices require kept per key-variety sale — drug, spec, quantity, manufacturer,
  // batch, buyer name and ID. Written when the sale completes; never changed.
  await knex.schema.createTable('register_entries', (t) => {
    t.bigIncrements('id').primary();
    t.integer('sale_id').notNullable().references('id').inTable('sales');
    t.integer('unit_id').notNullable().references('id').inTable('units');
    t.integer('product_id').notNullable().references('id').inTable('products');
    t.string('categories', 12).notNullable();
    t.string('drug_name', 200).notNullable();
    t.string('spec', 200);
    t.string('manufacturer', 200);
    t.string('approval_no', 60);
    t.string('batch', 60);
    t.integer('quantity').notNullable();
    t.text('buyer_name_enc');
    t.text('buyer_id_enc');
    t.string('buyer_id_index', 64);
    t.bigInteger('at').notNullable();
    t.index(['unit_id', 'at'], 'register_entries_unit_idx');
    t.index(['buyer_id_index', 'at'], 'register_entries_buyer_idx');
  });
  await makeAppendOnly(knex, 'register_entries');
}

export async function down(knex: Knex): Promise<void> {
  await dropAppendOnly(knex, 'register_entries');
  await knex.schema.dropTableIfExists('register_entries');
  await knex.schema.dropTableIfExists('sale_lines');
  await knex.schema.dropTableIfExists('sales');
  await dropAppendOnly(knex, 'retail_rule_sets');
  await knex.schema.dropTableIfExists('retail_rule_sets');
}
