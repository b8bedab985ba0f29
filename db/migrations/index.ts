import type { Knex } from 'knex';
import * as foundation from './2026_11_21_0001_foundation.js';
import * as accounts from './2026_11_21_0002_accounts.js';
import * as scanUndo from './2026_11_21_0003_scan_undo.js';
import * as scanActor from './2026_11_21_0004_scan_actor.js';
import * as dock from './2026_11_22_0005_dock.js';
import * as outbox from './2026_11_22_0006_outbox.js';
import * as retail from './2026_11_22_0007_retail.js';
import * as gansuOutbox from './2026_11_22_0008_gansu_outbox.js';
import * as outboxClaimIndex from './2026_11_22_0009_outbox_claim_index.js';
import * as exportsJobs from './2026_11_23_0010_exports.js';

export interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

// Migrations are listed statically (not discovered on disk) so they load the same way under tsx,
// vitest and a bundled build. Names are dated and never renamed once shipped.
const migrations: ReadonlyArray<readonly [string, Migration]> = [
  ['2026_11_21_0001_foundation', foundation],
  ['2026_11_21_0002_accounts', accounts],
  ['2026_11_21_0003_scan_undo', scanUndo],
  ['2026_11_21_0004_scan_actor', scanActor],
  ['2026_11_22_0005_dock', dock],
  ['2026_11_22_0006_outbox', outbox],
  ['2026_11_22_0007_retail', retail],
  ['2026_11_22_0008_gansu_outbox', gansuOutbox],
  ['2026_11_22_0009_outbox_claim_index', outboxClaimIndex],
  ['2026_11_23_0010_exports', exportsJobs],
];

export const migrationSource: Knex.MigrationSource<readonly [string, Migration]> = {
  getMigrations: async () => [...migrations],
  getMigrationName: (m) => m[0],
  getMigration: async (m) => m[1],
};
