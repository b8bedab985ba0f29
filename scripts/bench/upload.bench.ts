import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import type { Knex } from 'knex';
import { insertJsonRows, type JsonColumnType } from '../../db/repositories/json-bulk.js';
import { loadConfig } from '../../server/config.js';
import { NhsaClient } from '../../server/platforms/nhsa/client.js';
import { buildEnvelope } from '../../server/platforms/nhsa/envelope.js';
import { packCall } from '../../server/platforms/nhsa/param.js';
import { builtInNhsaProfile } from '../../server/platforms/nhsa/profile.js';
import type { CanonicalRecord } from '../../server/platforms/nhsa/profile.schema.js';
import { startWorkstation, type Workstation } from '../../server/workstation.js';
import { DEV_ADMIN_INITIAL_PASSWORD, establishAdminSession } from '../lib/dev-session.js';
import { fmt, markdownTable, median } from './stats.js';

/**
 * Issue 6 figures: upload throughput to the local sandbox (records/s), next to the same calls sent
 * by a bare loop with no outbox around them (the limit), and the workstation's own cost per record
 * (packing, signing, serialising, database bookkeeping) as a share of each call's round trip.
 * The sandbox runs in its own process, as `npm run sandbox` does.
 */
const ACCOUNT = { ak: 'bench-ak', sk: 'bench-sk' };
const PER_DOCUMENT = 100;

async function startSandboxProcess(dataDir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/sandbox.ts'], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: { ...process.env, TRACEDOCK_SANDBOX_PORT: '0', TRACEDOCK_DATA_DIR: dataDir, TRACEDOCK_NHSA_AK: ACCOUNT.ak, TRACEDOCK_NHSA_SK: ACCOUNT.sk },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 30_000;
  let url: string | undefined;
  while (!url) {
    url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`sandbox did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  return { url, stop: async () => void (child.kill('SIGTERM'), await exited) };
}

function payload(run: number, i: number): CanonicalRecord {
  return {
    traceCode: `81000${String(run).padStart(2, '0')}${String(i).padStart(13, '0')}`,
    batch: 'B2026',
    expiry: '2028-12-31',
    direction: 'in',
    documentNumber: `BENCH-${run}-${Math.floor(i / PER_DOCUMENT)}`,
    documentType: '102',
    circulationUnitName: '兰州示范医药有限公司',
    circulationUnitUscc: '91350100M000100Y43',
    circulationTime: 1_763_769_600_000,
    shipperName: '华北制药股份有限公司',
    shipperUscc: '91110000600037341L',
    shipTime: 1_763_700_000_000,
    shipStatus: 'shipped',
    receiverName: '兰州示范医药有限公司',
    receiverUscc: '91350100M000100Y43',
    receiveTime: 1_763_769_600_000,
    receiveStatus: 'received',
  };
}

/** N pending circulation records, set-based (the outbox as completed documents leave it). */
async function seed(knex: Knex, unitId: number, run: number, n: number): Promise<void> {
  const at = Date.now();
  const columns = [
    ['unit_id', 'integer'], ['platform', 'text'], ['operation', 'text'], ['record_key', 'text'], ['code', 'text'], ['source', 'text'],
    ['payload', 'text'], ['state', 'text'], ['attempts', 'integer'], ['next_attempt_at', 'bigint'], ['created_at', 'bigint'], ['updated_at', 'bigint'],
  ].map(([name, type]) => ({ name: name!, type: type as JsonColumnType }));
  const rows = Array.from({ length: n }, (_, i) => {
    const p = payload(run, i);
    return [unitId, 'nhsa', 'circulation', `bench:${String(p.documentNumber)}:${String(p.traceCode)}`, p.traceCode, 'document', JSON.stringify(p), 'pending', 0, at, at, at];
  });
  await insertJsonRows(knex, 'upload_records', columns, rows);
}

async function acceptedCount(knex: Knex): Promise<number> {
  return Number(((await knex('upload_records').where({ state: 'accepted' }).count({ n: '*' }).first()) as { n: number }).n);
}

/** Every sandbox answer delayed by `ms` (0 = none): a platform across a real network. */
async function platformLatency(sandboxUrl: string, ms: number): Promise<void> {
  const body = ms > 0 ? { rate: 1, kinds: ['slow'], slowMs: ms } : { rate: 0 };
  const res = await fetch(`${sandboxUrl}/__sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`sandbox faults: ${res.status}`);
}

async function drain(sandboxUrl: string, dataDir: string, concurrency: number, run: number, n: number): Promise<{ seconds: number; roundTripSeconds: number; calls: number }> {
  const dir = fs.mkdtempSync(path.join(dataDir, `ws-${concurrency}-${run}-`));
  const config = loadConfig({ TRACEDOCK_PORT: '0', TRACEDOCK_DATA_DIR: dir, TRACEDOCK_LOG_LEVEL: 'silent', TRACEDOCK_ADMIN_PASSWORD: DEV_ADMIN_INITIAL_PASSWORD, TRACEDOCK_NHSA_URL: sandboxUrl, TRACEDOCK_NHSA_AK: ACCOUNT.ak, TRACEDOCK_NHSA_SK: ACCOUNT.sk, TRACEDOCK_UPLOAD_CONCURRENCY: String(concurrency) });
  const ws: Workstation = await startWorkstation(config, { logger: pino({ level: 'silent' }) });
  try {
    const session = await establishAdminSession(ws.url);
    await ws.uploads.worker.stop();
    await seed(ws.db.knex, session.unitId, run * 10 + concurrency, n);
    const t0 = performance.now();
    await ws.uploads.worker.start();
    while ((await acceptedCount(ws.db.knex)) < n) await new Promise((r) => setTimeout(r, 10));
    const seconds = (performance.now() - t0) / 1000;
    const b = (await ws.db.knex('upload_batches').where({ channel: 'api' }).sum({ ms: 'round_trip_ms' }).count({ calls: '*' }).first()) as { ms: number; calls: number };
    return { seconds, roundTripSeconds: Number(b.ms) / 1000, calls: Number(b.calls) };
  } finally {
    await ws.stop();
  }
}

/** The limit: the same calls packed in advance and sent by a bare loop — no database, no outbox. */
async function bareCalls(sandboxUrl: string, concurrency: number, run: number, n: number): Promise<number> {
  const profile = builtInNhsaProfile();
  const op = profile.operations.circulation;
  const params: string[] = [];
  let rest = Array.from({ length: n }, (_, i) => ({ id: i, record: payload(900 + run * 10 + concurrency, i) }));
  while (rest.length) {
    const p = packCall(op, profile.envelope.maxLength.param, rest.slice(0, 64));
    params.push(p.paramText!);
    const sent = new Set(p.sent.map((s) => s.id));
    rest = rest.filter((r) => !sent.has(r.id));
  }
  const client = new NhsaClient({ baseUrl: sandboxUrl, profile, timeoutMs: 15_000 });
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < params.length; i = next++) {
        const r = await client.upload('circulation', ACCOUNT, params[i]!);
        if (r.outcome !== 'answered' || r.answer.kind !== 'taken') throw new Error(`bare call failed: ${JSON.stringify(r)}`);
      }
    }),
  );
  return n / ((performance.now() - t0) / 1000);
}

/** Packing and signing alone, in-process: the CPU part of the workstation's cost per record. */
function packAndSignMicros(n: number): number {
  const profile = builtInNhsaProfile();
  const op = profile.operations.circulation;
  let rest = Array.from({ length: n }, (_, i) => ({ id: i, record: payload(99, i) }));
  const t0 = performance.now();
  while (rest.length) {
    const p = packCall(op, profile.envelope.maxLength.param, rest.slice(0, 64));
    buildEnvelope(profile, ACCOUNT, Date.now(), p.paramText!);
    const sent = new Set(p.sent.map((s) => s.id));
    rest = rest.slice(sent.size);
  }
  return ((performance.now() - t0) * 1000) / n;
}

export async function runUploadBench(o: { quick?: boolean } = {}): Promise<{ markdown: string }> {
  const runs = o.quick ? 1 : 3;
  const n = o.quick ? 2000 : 10_000;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracedock-upload-bench-'));
  const sandbox = await startSandboxProcess(dataDir);
  try {
    const rows: Array<{ c: number; ws: number; bare: number; overhead: number; perRecordMs: number; calls: number }> = [];
    for (let r = 0; r < runs; r++) {
      for (const c of [1, 4]) {
        console.error(`upload run ${r + 1}/${runs}, concurrency ${c}: ${n} records…`);
        const bare = await bareCalls(sandbox.url, c, r, n);
        const d = await drain(sandbox.url, dataDir, c, r, n);
        // With one call at a time, wall time minus the calls' round trips is the workstation's own work.
        const own = d.seconds - d.roundTripSeconds;
        rows.push({ c, ws: n / d.seconds, bare, overhead: own / d.seconds, perRecordMs: (own * 1000) / n, calls: d.calls });
      }
    }
    // The same at concurrency 1 with every answer 50 ms late, as across a real network.
    const wanN = o.quick ? 300 : 1500;
    const wan: Array<{ ws: number; bare: number; overhead: number }> = [];
    await platformLatency(sandbox.url, 50);
    for (let r = 0; r < runs; r++) {
      console.error(`upload run ${r + 1}/${runs}, 50 ms platform latency: ${wanN} records…`);
      const bare = await bareCalls(sandbox.url, 1, 50 + r, wanN);
      const d = await drain(sandbox.url, dataDir, 1, 50 + r, wanN);
      wan.push({ ws: wanN / d.seconds, bare, overhead: (d.seconds - d.roundTripSeconds) / d.seconds });
    }
    await platformLatency(sandbox.url, 0);
    const pick = (c: number, f: (x: (typeof rows)[number]) => number) => median(rows.filter((x) => x.c === c).map(f));
    const wanPick = (f: (x: (typeof wan)[number]) => number) => median(wan.map(f));
    const micros = median(Array.from({ length: 3 }, () => packAndSignMicros(n)));
    const markdown =
      `${n.toLocaleString()} circulation records per run (${PER_DOCUMENT} codes per document, the default profile's 1024-character param → about ${fmt(n / pick(1, (x) => x.calls), 1)} records per call), ${runs} run(s), medians. ` +
      `Sandbox in its own process on 127.0.0.1; "bare loop" sends the same calls packed in advance with no database and no outbox (the limit).\n\n` +
      markdownTable(
        ['figure', 'concurrency 1', 'concurrency 4', 'concurrency 1, platform 50 ms away'],
        [
          ['workstation: records/s accepted (queued → accepted)', fmt(pick(1, (x) => x.ws), 0), fmt(pick(4, (x) => x.ws), 0), fmt(wanPick((x) => x.ws), 0)],
          ['bare loop: records/s (limit)', fmt(pick(1, (x) => x.bare), 0), fmt(pick(4, (x) => x.bare), 0), fmt(wanPick((x) => x.bare), 0)],
          ['ratio workstation / limit', fmt(pick(1, (x) => x.ws / x.bare), 2), fmt(pick(4, (x) => x.ws / x.bare), 2), fmt(wanPick((x) => x.ws / x.bare), 2)],
          ['workstation’s own work per record (wall − round trips)', `${fmt(pick(1, (x) => x.perRecordMs), 3)} ms`, '—', '—'],
          ['… as a share of the time per call', `${fmt(pick(1, (x) => x.overhead) * 100, 0)} %`, '—', `${fmt(wanPick((x) => x.overhead) * 100, 0)} %`],
          ['… of which packing + signing + serialising (in-process)', `${fmt(micros / 1000, 3)} ms`, '—', '—'],
        ],
      );
    return { markdown };
  } finally {
    await sandbox.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
