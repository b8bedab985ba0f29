import knexFactory, { type Knex } from 'knex';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertJsonRows, type JsonColumnType } from '../../db/repositories/json-bulk.js';
import { buildServer, startServerProcess, type ServerProcess } from '../../scripts/bench/workstation-process.js';
import { DEV_ADMIN_INITIAL_PASSWORD, DEV_UNIT, establishAdminSession } from '../../scripts/lib/dev-session.js';
import { startGansuSandbox, type GansuSandbox } from '../../server/platforms/sandbox/gansu/index.js';
import { loadOrCreateKey } from '../../server/security/key-file.js';
import { FieldCipher } from '../../server/security/field-crypto.js';
import { GANSU_PAYLOAD_CONTEXT } from '../../server/services/retail/gansu-rows.js';
import { tempDir } from '../helpers/workstation.js';

const SALES = 20_000;
const ROWS = 50_000; // even sales carry 3 key-variety products, odd ones 2
const LOGIN = { loginId: DEV_UNIT.uscc, password: 'Gs#2026甘肃', appKey: 'chaos-store-appkey' };

// Issue 7 acceptance: 50 000 rows from 20 000 sales against the sandbox with injected
// 402/453/5xx/timeouts/dropped answers and a kill -9 mid-upload — all accepted exactly once, no
// call over 10 000 rows, no two calls of the account less than a second apart.
describe('Gansu uploads under faults and a crash', () => {
  let sandbox: GansuSandbox;
  let ws: ServerProcess | undefined;
  let db: Knex;
  const dataDir = tempDir();
  const env = () => ({
    TRACEDOCK_ADMIN_PASSWORD: DEV_ADMIN_INITIAL_PASSWORD,
    TRACEDOCK_GANSU_URL: sandbox.url,
    TRACEDOCK_GANSU_LOGIN_ID: LOGIN.loginId,
    TRACEDOCK_GANSU_PASSWORD: LOGIN.password,
    TRACEDOCK_GANSU_PUBLIC_KEY: sandbox.publicKeyBase64,
    TRACEDOCK_GANSU_APP_KEY: LOGIN.appKey,
    TRACEDOCK_UPLOAD_TIMEOUT_MS: '2000',
    TRACEDOCK_UPLOAD_GRACE_MS: '300',
    TRACEDOCK_UPLOAD_BACKOFF_MS: '50',
    TRACEDOCK_UPLOAD_BACKOFF_MAX_MS: '1000',
  });

  beforeAll(async () => {
    buildServer();
    sandbox = await startGansuSandbox({ accounts: [{ loginId: LOGIN.loginId, password: LOGIN.password, stores: [{ uscc: DEV_UNIT.uscc, name: DEV_UNIT.name, appKey: LOGIN.appKey }] }] });
  }, 120_000);
  afterAll(async () => {
    await db?.destroy();
    await ws?.stop();
    await sandbox?.close();
  });

  it('accepts every row exactly once', async () => {
    ws = await startServerProcess(dataDir, env());
    const session = await establishAdminSession(ws.url);
    db = knexFactory({ client: 'sqlite3', connection: { filename: path.join(dataDir, 'tracedock.sqlite') }, useNullAsDefault: true, pool: { min: 1, max: 1, afterCreate: (c: { run: (sql: string, cb: (e: Error | null) => void) => void }, done: (e: Error | null) => void) => c.run('PRAGMA busy_timeout = 10000', done) } });
    const cipher = new FieldCipher((await loadOrCreateKey(dataDir, db)).key);
    sandbox.setFaults({ rate: 0.3, kinds: ['402', '453', '5xx', 'timeout', 'drop-after-store'], hangMs: 2500, seed: 20261122 });
    // A drain of 50 000 rows is only a handful of calls: make sure each kind is met at least once.
    sandbox.forceFaults(['drop-after-store', '402', '453', '5xx', 'timeout']);

    // The outbox as 20 000 completed sales leave it (the sale → row path has its own tests).
    const at = Date.now();
    const base = Math.floor(at / 1000) - SALES;
    const types = ['YB', 'YC', 'YD'];
    const rows: unknown[][] = [];
    for (let i = 0; i < SALES; i++) {
      for (let j = 0; j < (i % 2 === 0 ? 3 : 2); j++) {
        const row = { drugType: types[j], drugName: `重点品种药品${j}`, quantity: 1 + (i % 2), purchaserName: `购药人${i}`, purchaserId: '11010519491231002X', purchaserPhone: '13912345678', purchaserResidence: '甘肃省兰州市', drugstoreName: DEV_UNIT.name, drugstoreTyshxydm: DEV_UNIT.uscc, saleTime: base + i, approvalNo: '国药准字H20003456', dataSource: '1' };
        rows.push([session.unitId, 'gansu', 'saveSaleData', `chaos:${i}:${j}`, 'sale', cipher.encrypt(JSON.stringify(row), GANSU_PAYLOAD_CONTEXT), 'pending', 0, at, at, at]);
      }
    }
    expect(rows).toHaveLength(ROWS);
    const columns = ['unit_id:integer', 'platform:text', 'operation:text', 'record_key:text', 'source:text', 'payload:text', 'state:text', 'attempts:integer', 'next_attempt_at:bigint', 'created_at:bigint', 'updated_at:bigint'].map((c) => ({ name: c.split(':')[0]!, type: c.split(':')[1] as JsonColumnType }));
    await insertJsonRows(db, 'upload_records', columns, rows);
    // The worker wakes on its own within its idle time; kill -9 once the first calls went through.
    const deadline = Date.now() + 300_000;
    while (sandbox.stats().stored < 10_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await ws.kill();
    expect(sandbox.stats().stored).toBeLessThan(ROWS);
    ws = await startServerProcess(dataDir, env());

    const accepted = async () => Number(((await db('upload_records').where({ platform: 'gansu', state: 'accepted' }).count({ n: '*' }).first()) as { n: number }).n);
    while ((await accepted()) < ROWS && Date.now() < deadline + 300_000) await new Promise((r) => setTimeout(r, 250));

    expect(await accepted()).toBe(ROWS);
    expect(sandbox.rows()).toHaveLength(ROWS);
    expect(sandbox.duplicates()).toEqual([]);
    const calls = sandbox.calls().filter((c) => c.loginId === LOGIN.loginId);
    expect(Math.max(...calls.map((c) => c.rowCount ?? 0))).toBeLessThanOrEqual(10_000);
    const starts = calls.map((c) => c.at).sort((a, b) => a - b);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!, `calls ${i - 1} and ${i}`).toBeGreaterThanOrEqual(1000);
    // Every fault kind was met; none of the 453s was a real rate violation.
    const faults = sandbox.stats().faults;
    for (const k of ['402', '453', '5xx', 'timeout', 'drop-after-store'] as const) expect(faults[k], k).toBeGreaterThan(0);
    expect(calls.filter((c) => c.code === 453 && c.fault === null)).toEqual([]);
  }, 900_000);
});
