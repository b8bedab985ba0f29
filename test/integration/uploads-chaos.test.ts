import knexFactory, { type Knex } from 'knex';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, startServerProcess, type ServerProcess } from '../../scripts/bench/workstation-process.js';
import { DEV_ADMIN_INITIAL_PASSWORD, establishAdminSession, type DevSession } from '../../scripts/lib/dev-session.js';
import type { UploadSummaryView } from '../../server/contract/uploads.js';
import { builtInNhsaProfile } from '../../server/platforms/nhsa/profile.js';
import { startNhsaSandbox, type NhsaSandbox } from '../../server/platforms/sandbox/nhsa/index.js';
import { PREFIX, seedDock } from '../helpers/dock.js';
import { tempDir } from '../helpers/workstation.js';

const DOCUMENTS = 200;
const UNITS_PER_CASE = 99; // + the case itself = 100 codes per document, 20 000 in all
const ACCOUNT = { ak: 'chaos-ak-01', sk: 'chaos-sk-不可外传', uscc: '91350100M000100Y43', name: '兰州示范医药有限公司' };

// Issue 6 acceptance: 20 000 codes over 200 documents, 30 % injected faults of every kind, a
// kill -9 of the workstation mid-drain and a restart — every record accepted exactly once.
describe('uploads under faults and a crash', () => {
  let sandbox: NhsaSandbox;
  let ws: ServerProcess | undefined;
  let db: Knex;
  const dataDir = tempDir();
  const env = () => ({
    TRACEDOCK_ADMIN_PASSWORD: DEV_ADMIN_INITIAL_PASSWORD,
    TRACEDOCK_NHSA_URL: sandbox.url,
    TRACEDOCK_NHSA_AK: ACCOUNT.ak,
    TRACEDOCK_NHSA_SK: ACCOUNT.sk,
    TRACEDOCK_UPLOAD_CONCURRENCY: '8',
    TRACEDOCK_UPLOAD_TIMEOUT_MS: '1000',
    TRACEDOCK_UPLOAD_GRACE_MS: '300',
    TRACEDOCK_UPLOAD_BACKOFF_MS: '50',
    TRACEDOCK_UPLOAD_BACKOFF_MAX_MS: '1000',
  });

  beforeAll(async () => {
    buildServer();
    sandbox = await startNhsaSandbox({ profile: builtInNhsaProfile(), accounts: [ACCOUNT] });
  }, 120_000);
  afterAll(async () => {
    await db?.destroy();
    await ws?.stop();
    await sandbox?.close();
  });

  it('accepts every one of 20 000 codes exactly once', async () => {
    ws = await startServerProcess(dataDir, env());
    const session: DevSession = await establishAdminSession(ws.url);
    db = knexFactory({ client: 'sqlite3', connection: { filename: path.join(dataDir, 'tracedock.sqlite') }, useNullAsDefault: true, pool: { min: 1, max: 1, afterCreate: (c: { run: (sql: string, cb: (e: Error | null) => void) => void }, done: (e: Error | null) => void) => c.run('PRAGMA busy_timeout = 10000', done) } });
    const fx = await seedDock(db, session.unitId);
    const cases: string[] = [];
    const at = Date.now();
    const rows: Array<Record<string, unknown>> = [];
    for (let d = 0; d < DOCUMENTS; d++) {
      const c = PREFIX.case + String(7_000_000 + d).padStart(13, '0');
      cases.push(c);
      rows.push({ code: c, level: 3, parent_code: null, batch: `B${d % 7}`, expiry: '2028-12-31', source: 'import', updated_at: at });
      for (let u = 0; u < UNITS_PER_CASE; u++) rows.push({ code: PREFIX.unit + String(70_000_000 + d * 1000 + u).padStart(13, '0'), level: 1, parent_code: c, batch: `B${d % 7}`, expiry: '2028-12-31', source: 'import', updated_at: at });
    }
    for (let i = 0; i < rows.length; i += 500) await db('packs').insert(rows.slice(i, i + 500));

    const call = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
      const res = await fetch(ws!.url + url, { method, headers: { 'content-type': 'application/json', cookie: session.cookie }, body: body === undefined ? undefined : JSON.stringify(body) });
      const data = (await res.json()) as T;
      if (!res.ok) throw new Error(`${method} ${url} → ${res.status} ${JSON.stringify(data)}`);
      return data;
    };
    const station = await call<{ id: number }>('POST', '/api/stations', { name: '收货-混沌', kind: 'receiving' });
    // Faults from the first call on: the drain runs while documents are still being completed.
    sandbox.setFaults({ rate: 0.3, kinds: ['5xx', 'timeout', 'drop-after-store', 'slow'], slowMs: 1200, hangMs: 1200, applyToQueries: true, seed: 20261122 });
    for (let d = 0; d < DOCUMENTS; d++) {
      const doc = await call<{ id: number }>('POST', '/api/documents', { direction: 'in', number: `CHAOS-${d}`, type: '102', counterpartyId: fx.supplierId, stationId: station.id });
      const scan = await call<{ decision: string }>('POST', `/api/stations/${station.id}/scans`, { raw: cases[d] });
      expect(scan.decision).toBe('accepted');
      await call('POST', `/api/documents/${doc.id}/complete`, {});
    }
    const queued = Number(((await db('upload_records').count({ n: '*' }).first()) as { n: number }).n);
    expect(queued).toBe(DOCUMENTS * (UNITS_PER_CASE + 1));

    // Mid-drain: kill -9 while calls are in flight, then start again on the same data.
    const deadline = Date.now() + 300_000;
    while (sandbox.stats().stored < queued * 0.3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const inFlight = Number(((await db('upload_records').where({ state: 'sending' }).count({ n: '*' }).first()) as { n: number }).n);
    await ws.kill();
    const storedAtKill = sandbox.stats().stored;
    expect(storedAtKill).toBeLessThan(queued);
    ws = await startServerProcess(dataDir, env());

    const done = async () => Number(((await db('upload_records').where({ state: 'accepted' }).count({ n: '*' }).first()) as { n: number }).n);
    while ((await done()) < queued && Date.now() < deadline + 600_000) await new Promise((r) => setTimeout(r, 250));
    const accepted = await done();

    const stored = sandbox.rows({ ak: ACCOUNT.ak, queryType: 'circulation' });
    const stats = sandbox.stats();
    // Every fault kind really happened, on uploads and on the queries that resolved them.
    for (const k of ['5xx', 'timeout', 'drop-after-store', 'slow'] as const) expect(stats.faults[k], k).toBeGreaterThan(0);
    expect(accepted).toBe(queued);
    expect(sandbox.duplicates()).toEqual([]);
    expect(stored).toHaveLength(queued);
    expect(new Set(stored.map((r) => `${String(r.fields.bill_no)}/${String(r.fields.drug_trac_codg)}`)).size).toBe(queued);
    const byState = (await db('upload_records').groupBy('state').select('state').count({ n: '*' })) as Array<{ state: string; n: number }>;
    expect(byState).toEqual([{ state: 'accepted', n: queued }]);
    // Interrupted calls were resolved by asking the platform, not by resending blindly.
    const events = (await db('upload_events').groupBy('event').select('event').count({ n: '*' })) as Array<{ event: string; n: number }>;
    const count = (e: string) => Number(events.find((x) => x.event === e)?.n ?? 0);
    expect(count('resolved-accepted')).toBeGreaterThan(0);
    expect(count('unknown')).toBeGreaterThan(0);
    if (inFlight > 0) expect(count('interrupted')).toBeGreaterThan(0);

    const summary = await (await fetch(ws.url + '/api/uploads', { headers: { cookie: (await establishAdminSession(ws.url)).cookie } })).json() as UploadSummaryView;
    expect(summary.totals).toMatchObject({ accepted: queued, pending: 0, unknown: 0, sending: 0 });
  }, 1_200_000);
});
