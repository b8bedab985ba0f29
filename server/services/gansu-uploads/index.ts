import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import { GansuClient } from '../../platforms/gansu/client.js';
import { AccountPacer } from '../../platforms/gansu/pacer.js';
import { encryptPassword } from '../../platforms/gansu/rsa.js';
import { startGansuSandbox, type GansuSandbox } from '../../platforms/sandbox/gansu/index.js';
import type { Accounts } from '../accounts.js';
import { GansuMonitor } from './monitor.js';
import { GansuRecords } from './records.js';
import { GansuResend } from './resend.js';
import { GansuWorker, type GansuAccount, type GansuWorkerOptions } from './worker.js';

export interface GansuUploads {
  worker: GansuWorker;
  sandbox: GansuSandbox | undefined;
  /** The upload monitor's Gansu section (read-only). */
  monitor: GansuMonitor;
  /** Fix-and-resend of a refused row (rebuilt from the master data as it is now). */
  resend: GansuResend;
  start(): Promise<void>;
  stop(): Promise<void>;
}

type SandboxLogin = { password: string; appKey: string };

/**
 * The Gansu outbox, wired once. With no `TRACEDOCK_GANSU_URL` the rows go to a built-in sandbox on
 * 127.0.0.1, where each unit gets an account (its USCC as login id) and its own store appKey,
 * kept under the data directory so a restart keeps them.
 */
export async function createGansuUploads(d: {
  knex: Knex;
  config: Config;
  accounts: Accounts;
  log: Logger;
  now?: () => number;
  worker?: Partial<GansuWorkerOptions>;
  pacerMarginMs?: number;
  /** A call settled: the upload monitor refreshes. */
  changed?: () => void;
}): Promise<GansuUploads> {
  const g = d.config.gansu;
  let sandbox: GansuSandbox | undefined;
  let url = g.url;
  const loginsFile = path.join(d.config.dataDir, 'sandbox', 'gansu-logins.json');
  let logins: Record<string, SandboxLogin> = {};
  if (!url) {
    fs.mkdirSync(path.dirname(loginsFile), { recursive: true, mode: 0o700 });
    sandbox = await startGansuSandbox({ storeFile: path.join(d.config.dataDir, 'sandbox', 'gansu-store.jsonl') });
    url = sandbox.url;
    if (fs.existsSync(loginsFile)) logins = JSON.parse(fs.readFileSync(loginsFile, 'utf8')) as Record<string, SandboxLogin>;
  }
  const registered = new Set<string>();
  const account = async (unitId: number): Promise<GansuAccount | null> => {
    const unit = await d.accounts.repos.units.get(unitId);
    if (!unit) return null;
    if (sandbox) {
      let l = logins[unit.uscc];
      if (!l) {
        l = { password: crypto.randomBytes(12).toString('base64url'), appKey: crypto.randomBytes(12).toString('hex') };
        logins[unit.uscc] = l;
        fs.writeFileSync(loginsFile, JSON.stringify(logins), { mode: 0o600 });
      }
      if (!registered.has(unit.uscc)) {
        sandbox.addAccount({ loginId: unit.uscc, password: l.password, stores: [{ uscc: unit.uscc, name: unit.name, appKey: l.appKey }] });
        registered.add(unit.uscc);
      }
      const key = sandbox.publicKeyPem;
      return { loginId: unit.uscc, appKey: l.appKey, encryptedPassword: () => encryptPassword(key, l.password) };
    }
    const c = (await d.accounts.units.platformCredentials(unitId).catch(() => null))?.gansu;
    const loginId = c?.loginId ?? g.loginId;
    const password = c?.password ?? g.password;
    const publicKey = c?.publicKey ?? g.publicKey;
    const appKey = c?.appKey ?? g.appKey;
    if (!loginId || !password || !publicKey || !appKey) return null;
    return { loginId, appKey, encryptedPassword: () => encryptPassword(publicKey, password) };
  };
  const worker = new GansuWorker(
    {
      knex: d.knex,
      client: new GansuClient({ baseUrl: url, timeoutMs: d.config.uploads.timeoutMs, now: d.now }),
      // A little margin for the request's way to the platform, which measures on arrival.
      pacer: new AccountPacer({ marginMs: d.pacerMarginMs ?? 50, now: d.now }),
      records: new GansuRecords(d.accounts.cipher),
      account,
      log: d.log,
      now: d.now,
      changed: d.changed,
    },
    { unknownGraceMs: Math.min(d.config.uploads.unknownGraceMs, 5_000), backoff: { baseMs: d.config.uploads.backoffMs, maxMs: d.config.uploads.backoffMaxMs }, idleMs: 5_000, ...d.worker },
  );
  const monitor = new GansuMonitor({
    knex: d.knex,
    platform: { mode: sandbox ? 'sandbox' : 'configured', url },
    loginOf: async (unitId) => (await account(unitId).catch(() => null))?.loginId ?? null,
    now: d.now,
  });
  return {
    worker,
    sandbox,
    monitor,
    resend: new GansuResend(d.knex, d.accounts.cipher, () => worker.wake(), d.now),
    start: () => worker.start(),
    async stop() {
      await worker.stop();
      await sandbox?.close();
    },
  };
}
