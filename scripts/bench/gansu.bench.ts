import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { insertJsonRows, type JsonColumnType } from '../../db/repositories/json-bulk.js';
import { loadConfig } from '../../server/config.js';
import { GANSU_PAYLOAD_CONTEXT } from '../../server/services/retail/gansu-rows.js';
import { startWorkstation } from '../../server/workstation.js';
import { DEV_ADMIN_INITIAL_PASSWORD, establishAdminSession } from '../lib/dev-session.js';
import { fmt, markdownTable, median } from './stats.js';

/**
 * Issue 7 figure: sustained upload throughput to the Gansu sandbox (in its own process) against
 * the platform's ceiling of 10 000 rows/s (10 000 rows per call, one call per second per account),
 * while the same workstation records scans at 20 per second.
 */
const LOGIN = { id: '91620100MA71TD004X', password: 'Bench#Gansu2026' };

async function startSandbox(dataDir: string): Promise<{ url: string; uscc: string; appKey: string; publicKey: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/sandbox.ts'], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: { ...process.env, TRACEDOCK_SANDBOX_PORT: '0', TRACEDOCK_GANSU_SANDBOX_PORT: '0', TRACEDOCK_DATA_DIR: dataDir, TRACEDOCK_GANSU_LOGIN_ID: LOGIN.id, TRACEDOCK_GANSU_PASSWORD: LOGIN.password },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 30_000;
  let m: RegExpExecArray | null = null;
  while (!(m = /Gansu sandbox listening on (\S+)[\s\S]*?USCC (\S+) appKey (\S+)[\s\S]*?RSA public key[^:]*: (\S+)/.exec(out))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`sandbox did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  return { url: m[1]!, uscc: m[2]!, appKey: m[3]!, publicKey: m[4]!, stop: async () => void (child.kill('SIGTERM'), await exited) };
}

export async function runGansuBench(o: { quick?: boolean } = {}): Promise<{ markdown: string }> {
  const runs = o.quick ? 1 : 3;
  const n = o.quick ? 30_000 : 100_000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracedock-gansu-bench-'));
  const sandbox = await startSandbox(dir);
  const results: Array<{ rate: number; steady: number; scanP99: number }> = [];
  try {
    for (let r = 0; r < runs; r++) {
      console.error(`Gansu run ${r + 1}/${runs}: ${n.toLocaleString()} rows while scanning…`);
      const dataDir = fs.mkdtempSync(path.join(dir, 'ws-'));
      const config = loadConfig({
        TRACEDOCK_PORT: '0', TRACEDOCK_DATA_DIR: dataDir, TRACEDOCK_LOG_LEVEL: 'silent', TRACEDOCK_ADMIN_PASSWORD: DEV_ADMIN_INITIAL_PASSWORD,
        TRACEDOCK_GANSU_URL: sandbox.url, TRACEDOCK_GANSU_LOGIN_ID: LOGIN.id, TRACEDOCK_GANSU_PASSWORD: LOGIN.password, TRACEDOCK_GANSU_PUBLIC_KEY: sandbox.publicKey, TRACEDOCK_GANSU_APP_KEY: sandbox.appKey,
      });
      const ws = await startWorkstation(config, { logger: pino({ level: 'silent' }) });
      try {
        const session = await establishAdminSession(ws.url);
        await ws.gansu.worker.stop();
        const at = Date.now();
        const base = Math.floor(at / 1000) - n;
        const columns = ['unit_id:integer', 'platform:text', 'operation:text', 'record_key:text', 'source:text', 'payload:text', 'state:text', 'attempts:integer', 'next_attempt_at:bigint', 'created_at:bigint', 'updated_at:bigint'].map((c) => ({ name: c.split(':')[0]!, type: c.split(':')[1] as JsonColumnType }));
        const rows = Array.from({ length: n }, (_, i) => {
          const row = { drugType: 'YC', drugName: '复方盐酸伪麻黄碱缓释胶囊', quantity: 1, purchaserName: `购药人${r}-${i}`, purchaserId: '11010519491231002X', purchaserPhone: '13912345678', purchaserResidence: '甘肃省兰州市', drugstoreName: '沙箱测试大药房一店', drugstoreTyshxydm: sandbox.uscc, saleTime: base + i, approvalNo: '国药准字H20003456', dataSource: '1' };
          return [session.unitId, 'gansu', 'saveSaleData', `bench:${r}:${i}`, 'sale', ws.accounts.cipher.encrypt(JSON.stringify(row), GANSU_PAYLOAD_CONTEXT), 'pending', 0, at, at, at];
        });
        await insertJsonRows(ws.db.knex, 'upload_records', columns, rows);
        const station = (await (await fetch(`${ws.url}/api/stations`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: session.cookie }, body: JSON.stringify({ name: `扫码-${r}`, kind: 'query' }) })).json()) as { id: number };
        // Scanning at the same time: 20 scans per second through HTTP, each timed to its answer.
        const scanTimes: number[] = [];
        let scanning = true;
        const scanner = (async () => {
          for (let i = 0; scanning; i++) {
            const t0 = performance.now();
            await fetch(`${ws.url}/api/stations/${station.id}/scans`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: session.cookie }, body: JSON.stringify({ raw: `8100001${String(r * 1_000_000 + i).padStart(13, '0')}` }) });
            scanTimes.push(performance.now() - t0);
            await new Promise((res) => setTimeout(res, 50));
          }
        })();
        const t0 = Date.now();
        await ws.gansu.worker.start();
        const done = async () => Number(((await ws.db.knex('upload_records').where({ platform: 'gansu', state: 'accepted' }).count({ n: '*' }).first()) as { n: number }).n);
        while ((await done()) < n) await new Promise((res) => setTimeout(res, 20));
        const seconds = (Date.now() - t0) / 1000;
        scanning = false;
        await scanner;
        // Steady state, as the platform saw it: rows of the stored calls before the last one, over
        // the time from the first stored call's arrival to the last one's.
        const calls = ((await (await fetch(`${sandbox.url}/__sandbox/calls`)).json()) as Array<{ at: number; loginId: string; rowCount: number | null; code: number }>)
          .filter((c) => c.loginId === LOGIN.id && c.code === 200 && c.at >= t0)
          .sort((a, b) => a.at - b.at);
        const span = (calls.at(-1)!.at - calls[0]!.at) / 1000;
        const steadyRows = calls.slice(0, -1).reduce((a, c) => a + (c.rowCount ?? 0), 0);
        scanTimes.sort((a, b) => a - b);
        results.push({ rate: n / seconds, steady: span > 0 ? steadyRows / span : Number.NaN, scanP99: scanTimes[Math.floor(scanTimes.length * 0.99)] ?? Number.NaN });
      } finally {
        await ws.stop();
      }
    }
  } finally {
    await sandbox.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const m = (f: (x: (typeof results)[number]) => number) => median(results.map(f));
  const markdown =
    `${n.toLocaleString()} rows per run queued, drained by one account against the sandbox in its own process (10 000 rows per call, one call per second), while the same workstation records a scan every 50 ms over HTTP; ${runs} run(s), medians.\n\n` +
    markdownTable(
      ['figure', 'median', 'per run', 'limit / target'],
      [
        ['sustained rows/s (first to last call start)', fmt(m((x) => x.steady), 0), results.map((x) => fmt(x.steady, 0)).join(', '), '10 000 rows/s platform ceiling'],
        ['… share of the ceiling', `${fmt(m((x) => x.steady) / 100, 1)} %`, '', '≥ 95 %'],
        ['rows/s over the whole drain (queued → all accepted)', fmt(m((x) => x.rate), 0), results.map((x) => fmt(x.rate, 0)).join(', '), ''],
        ['scan answer p99 while uploading', `${fmt(m((x) => x.scanP99), 1)} ms`, results.map((x) => fmt(x.scanP99, 1)).join(', '), ''],
      ],
    );
  return { markdown };
}
