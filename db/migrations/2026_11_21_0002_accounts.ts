import type { Knex } from 'knex';
import { dropAppendOnly, makeAppendOnly } from './append-only.js';

/**
 * Units (单位), operators (经办人), per-unit business grants, sessions and the audit log (issue 4).
 * Modelled on the NHSA portal: a unit binds several operators, an operator may serve several
 * units, and each business of a unit is granted per operator. Columns ending in `_enc` hold
 * AES-256-GCM text from server/security/field-crypto.ts — never plaintext.
 */
// Frozen copies (a migration never changes once shipped, even if the contract grows).
const BUSINESSES = ['receiving', 'dispatch', 'aggregation', 'retail', 'upload', 'query', 'masterdata', 'admin'] as const;
const UNIT_TYPES = ['manufacturer', 'distributor', 'retail', 'hospital'] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('meta', (t) => {
    t.string('key', 100).primary();
    t.text('value').notNullable();
  });
  // A row every writing transaction of the account services touches first, so SQLite takes its
  // write lock before reading (no upgrade deadlock between two connections).
  await knex('meta').insert({ key: 'write_lock', value: '0' });

  await knex.schema.createTable('units', (t) => {
    t.increments('id').primary();
    t.string('name', 200).notNullable();
    t.string('uscc', 18).notNullable().unique();
    t.string('type', 20).notNullable().checkIn([...UNIT_TYPES], 'units_type_ck');
    t.string('address', 300);
    t.text('nhsa_ak_enc');
    t.text('nhsa_sk_enc');
    t.text('gansu_login_id_enc');
    t.text('gansu_password_enc');
    t.text('gansu_public_key_enc');
    t.text('gansu_app_key_enc');
    t.boolean('disabled').notNullable().defaultTo(false);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });

  await knex.schema.createTable('operators', (t) => {
    t.increments('id').primary();
    t.string('username', 32).notNullable().unique();
    t.string('display_name', 100).notNullable();
    // The NHSA portal identifies an agent by phone and ID document: personal data, encrypted.
    t.text('phone_enc');
    t.text('id_number_enc');
    t.string('password_hash', 200).notNullable();
    t.boolean('must_change_password').notNullable().defaultTo(true);
    t.bigInteger('password_changed_at').notNullable();
    t.integer('failed_count').notNullable().defaultTo(0);
    t.bigInteger('locked_until');
    t.boolean('disabled').notNullable().defaultTo(false);
    /** Workstation administrator (manages units and operators; the NHSA 单位账号 role). */
    t.boolean('is_admin').notNullable().defaultTo(false);
    /** HMAC of the badge code under the key file: found by lookup, useless without the key. */
    t.string('badge_hash', 64).unique();
    t.string('pin_hash', 200);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });

  await knex.schema.createTable('operator_units', (t) => {
    t.integer('operator_id').notNullable().references('id').inTable('operators');
    t.integer('unit_id').notNullable().references('id').inTable('units');
    t.bigInteger('created_at').notNullable();
    t.primary(['operator_id', 'unit_id']);
  });

  await knex.schema.createTable('grants', (t) => {
    t.increments('id').primary();
    t.integer('operator_id').notNullable();
    t.integer('unit_id').notNullable();
    t.string('business', 20).notNullable().checkIn([...BUSINESSES], 'grants_business_ck');
    t.bigInteger('granted_at').notNullable();
    t.integer('granted_by').references('id').inTable('operators');
    // A grant exists only for a bound operator: unbinding must revoke first.
    t.foreign(['operator_id', 'unit_id']).references(['operator_id', 'unit_id']).inTable('operator_units');
    t.unique(['operator_id', 'unit_id', 'business'], { indexName: 'grants_operator_unit_business_uq' });
    t.index(['unit_id', 'business'], 'grants_unit_business_idx');
  });
  // NHSA guide, 经办人授权: 一个业务只能授权给一个经办人 — for platform upload the database itself
  // refuses a second holder, so two concurrent grant requests cannot both win.
  await knex.raw(`CREATE UNIQUE INDEX grants_one_uploader_uq ON grants (unit_id) WHERE business = 'upload'`);

  await knex.schema.createTable('sessions', (t) => {
    t.increments('id').primary();
    t.string('token_hash', 64).notNullable().unique();
    t.integer('operator_id').notNullable().references('id').inTable('operators');
    t.integer('unit_id').references('id').inTable('units');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('last_seen_at').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.bigInteger('revoked_at');
    t.index(['operator_id'], 'sessions_operator_idx');
  });

  await knex.schema.createTable('audit_log', (t) => {
    t.bigInteger('seq').primary();
    t.bigInteger('at').notNullable();
    t.integer('actor_id');
    t.string('actor', 64).notNullable();
    t.string('action', 60).notNullable();
    t.integer('unit_id');
    t.text('detail').notNullable();
    // Unique: the chain can never fork, even if two writers raced past the write lock.
    t.string('prev_hash', 64).notNullable().unique();
    t.string('hash', 64).notNullable();
    t.index(['action', 'seq'], 'audit_log_action_idx');
  });
  await makeAppendOnly(knex, 'audit_log');
}

export async function down(knex: Knex): Promise<void> {
  await dropAppendOnly(knex, 'audit_log');
  await knex.schema.dropTableIfExists('audit_log');
  await knex.schema.dropTableIfExists('sessions');
  await knex.schema.dropTableIfExists('grants');
  await knex.schema.dropTableIfExists('operator_units');
  await knex.schema.dropTableIfExists('operators');
  await knex.schema.dropTableIfExists('units');
  await knex.schema.dropTableIfExists('meta');
}
