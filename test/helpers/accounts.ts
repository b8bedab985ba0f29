import fs from 'node:fs';
import { openDb, type Db } from '../../db/connection.js';
import { createAccounts, type Accounts } from '../../server/services/accounts.js';
import type { AuthOptions, SessionContext } from '../../server/services/auth.service.js';
import { tempDir } from './workstation.js';

import { DEV_ADMIN_INITIAL_PASSWORD as ADMIN_PASSWORD, DEV_ADMIN_PASSWORD as ADMIN_NEW_PASSWORD, DEV_UNIT } from '../../scripts/lib/dev-session.js';

export { ADMIN_PASSWORD, ADMIN_NEW_PASSWORD };
/** Valid USCCs from DOMAIN §2.3. */
export const USCC_A = DEV_UNIT.uscc;
export const USCC_B = '91110000600037341L';

export interface TestAccounts extends Accounts {
  db: Db;
  dataDir: string;
  clock: { t: number };
  close(): Promise<void>;
  /** Closes and deletes the data directory. */
  destroy(): Promise<void>;
}

/** Real SQLite file in a temp dir, real key file, a settable clock. */
export async function openTestAccounts(opts: { dataDir?: string; url?: string; auth?: AuthOptions } = {}): Promise<TestAccounts> {
  const dataDir = opts.dataDir ?? tempDir('tracedock-accounts-');
  const clock = { t: 1_800_000_000_000 };
  const db = await openDb({ dataDir, url: opts.url });
  let a: Accounts;
  try {
    a = await createAccounts(db, dataDir, { now: () => clock.t, ...opts.auth });
  } catch (err) {
    await db.close();
    throw err;
  }
  return {
    ...a,
    db,
    dataDir,
    clock,
    close: () => db.close(),
    async destroy() {
      await db.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Bootstraps admin, logs in and changes the initial password: a ready administrator session. */
export async function adminSession(a: Accounts): Promise<{ token: string; ctx: SessionContext }> {
  await a.auth.bootstrap(ADMIN_PASSWORD);
  const first = await a.auth.login({ username: 'admin', password: ADMIN_PASSWORD });
  await a.auth.changePassword(await a.auth.authenticate(first.token), { currentPassword: ADMIN_PASSWORD, newPassword: ADMIN_NEW_PASSWORD });
  const { token } = await a.auth.login({ username: 'admin', password: ADMIN_NEW_PASSWORD });
  return { token, ctx: await a.auth.authenticate(token) };
}

/** An operator who has set their own password, logged in, bound to `unitId` (not yet chosen). */
export async function operatorSession(a: Accounts, admin: SessionContext, username: string, unitId?: number): Promise<{ id: number; token: string; ctx: SessionContext }> {
  const initial = 'Init#Oper2026';
  const own = 'Own$Pass2026';
  const op = await a.operators.create(admin, { username, displayName: `经办人${username}`, password: initial });
  if (unitId !== undefined) await a.operators.bind(admin, { operatorId: op.id, unitId });
  const first = await a.auth.login({ username, password: initial });
  await a.auth.changePassword(await a.auth.authenticate(first.token), { currentPassword: initial, newPassword: own });
  const { token } = await a.auth.login({ username, password: own });
  return { id: op.id, token, ctx: await a.auth.authenticate(token) };
}

export async function counts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['units', 'operators', 'operator_units', 'grants', 'sessions', 'audit_log']) {
    const row = (await db.knex(t).count({ n: '*' }).first()) as { n: number | string };
    out[t] = Number(row.n);
  }
  return out;
}
