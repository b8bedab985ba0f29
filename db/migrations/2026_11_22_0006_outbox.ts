import type { Knex } from 'knex';
import { dropAppendOnly, makeAppendOnly } from './append-only.js';

/**
 * The platform outbox (issue 6). `upload_records` is written in the same transaction as the event
 * that makes a record due (a document's completion, a product, a hierarchy) and is the projection
 * of each record's state; `upload_batches` holds every call with the exact param sent and what the
 * platform answered; `upload_events` is the append-only per-record ledger the code history reads.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('upload_records', (t) => {
    t.bigIncrements('id').primary();
    t.integer('unit_id').notNullable().references('id').inTable('units');
    t.string('platform', 10).notNullable();
    t.string('operation', 30).notNullable();
    // The record's identity for its operation (document + code, product …): enqueueing twice is a no-op.
    t.string('record_key', 160).notNullable();
    t.string('code', 100);
    t.integer('document_id').references('id').inTable('documents');
    t.string('source', 20).notNullable();
    // Canonical fields (server/platforms/nhsa/profile.schema.ts) as they were when the event happened.
    t.text('payload').notNullable();
    // pending · sending · unknown · accepted · rejected · skipped · manual
    t.string('state', 10).notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.bigInteger('next_attempt_at').notNullable();
    t.bigInteger('batch_id');
    t.text('message');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.bigInteger('accepted_at');
    t.unique(['unit_id', 'platform', 'operation', 'record_key'], { indexName: 'upload_records_identity_uq' });
    t.index(['state', 'next_attempt_at', 'unit_id', 'operation', 'id'], 'upload_records_due_idx');
    t.index(['code'], 'upload_records_code_idx');
    t.index(['batch_id'], 'upload_records_batch_idx');
    t.index(['document_id'], 'upload_records_document_idx');
  });

  await knex.schema.createTable('upload_batches', (t) => {
    t.bigIncrements('id').primary();
    t.integer('unit_id').notNullable().references('id').inTable('units');
    t.string('platform', 10).notNullable();
    t.string('operation', 30).notNullable();
    // api (signed call) · manual (portal import file) · query (resolution of an unknown outcome)
    t.string('channel', 10).notNullable();
    t.integer('record_count').notNullable();
    t.text('param_text');
    t.string('outcome', 12).notNullable();
    t.integer('http_status');
    t.text('message');
    t.integer('round_trip_ms');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('finished_at');
    t.index(['unit_id', 'operation', 'created_at'], 'upload_batches_unit_idx');
  });

  await knex.schema.createTable('upload_events', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('record_id').notNullable().references('id').inTable('upload_records');
    t.bigInteger('batch_id').references('id').inTable('upload_batches');
    t.integer('unit_id').notNullable();
    t.string('operation', 30).notNullable();
    t.string('code', 100);
    // queued · sent · accepted · rejected · unknown · resolved-accepted · resolved-missing · requeued · skipped · retried · exported · interrupted · refused-locally
    t.string('event', 20).notNullable();
    t.text('message');
    t.integer('operator_id').references('id').inTable('operators');
    t.bigInteger('at').notNullable();
    t.index(['code', 'at'], 'upload_events_code_idx');
    t.index(['record_id'], 'upload_events_record_idx');
    t.index(['batch_id'], 'upload_events_batch_idx');
  });
  await makeAppendOnly(knex, 'upload_events');
}

export async function down(knex: Knex): Promise<void> {
  await dropAppendOnly(knex, 'upload_events');
  await knex.schema.dropTableIfExists('upload_events');
  await knex.schema.dropTableIfExists('upload_batches');
  await knex.schema.dropTableIfExists('upload_records');
}
