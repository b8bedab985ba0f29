import type { Knex } from 'knex';

/**
 * The Gansu outbox (issue 7) shares `upload_records` / `upload_batches` / `upload_events` with the
 * NHSA one. The platform has no query interface, so a call's single-use token is its idempotency
 * key: it is stored with the call before the call is sent, and an unknown outcome is settled by
 * sending the same rows with the same token (402 "token 失效" then means the first call was stored).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('upload_batches', (t) => {
    t.text('token');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('upload_batches', (t) => {
    t.dropColumn('token');
  });
}
