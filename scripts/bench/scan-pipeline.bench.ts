import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { io, type Socket } from 'socket.io-client';
import { openDb } from '../../db/connection.js';
import { StationsRepository } from '../../db/repositories/stations.repository.js';
import { createPtyPair, type PtyPair } from '../../drivers/virtual/pty-pair.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/contract/events.js';
import type { ScanView } from '../../server/contract/views.js';
import { DEV_ADMIN_INITIAL_PASSWORD, establishAdminSession } from '../lib/dev-session.js';
import { seedJournal } from './seed-journal.js';
import { percentile } from './stats.js';
import { startServerProcess } from './workstation-process.js';

export interface PipelineOptions {
  dataDir: string;
  seedScans: number;
  latencyScans: number;
  ratePerSecond: number;
  burstScans: number;
}

export interface PipelineRun {
  floorP50: number;
  floorP99: number;
  p50: number;
  p99: number;
  max: number;
  /** Latency-phase scans that never reached the socket client. */
  lost: number;
  burstStored: number;
  /** Burst frames that arrived split or garbled (rejected). */
  burstRejected: number;
  burstInOrder: boolean;
  burstPerSecond: number;
  idleRssMiB: number;
  journalRows: number;
}

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Distinct, valid-looking 20-digit trace codes that never collide with the seeded ones. */
const traceCode = (run: number, i: number) => `8${String(990000 + run).padStart(6, '0')}${String(i).padStart(13, '0')}`;

export async function prepareJournal(dataDir: string, seedScans: number): Promise<number> {
  const db = await openDb({ dataDir });
  const stations = new StationsRepository(db.knex);
  const station = (await stations.findByName('bench')) ?? (await stations.create({ name: 'bench', kind: 'receiving' }));
  const n = Number(((await db.knex('scan_events').count({ n: '*' })) as Array<{ n: number }>)[0]?.n ?? 0);
  if (Number(n) < seedScans) await seedJournal(db.knex, station.id, seedScans - Number(n));
  await db.close();
  return station.id;
}

/** Transport floor: the same pty write → read, with nothing of ours in between. */
async function measureFloor(pty: PtyPair, samples: number): Promise<number[]> {
  const port = new SerialPort({ path: pty.scannerPath, baudRate: 115200, autoOpen: false });
  await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
  const lat: number[] = [];
  let t0 = 0;
  let pending: (() => void) | undefined;
  port.on('data', (d: Buffer) => {
    if (d.includes(0x0d)) pending?.();
  });
  for (let i = 0; i < samples; i++) {
    const done = new Promise<void>((r) => (pending = r));
    t0 = performance.now();
    await pty.write(`${traceCode(0, i)}\r`);
    await done;
    lat.push(performance.now() - t0);
    await sleep(10);
  }
  await new Promise<void>((r) => port.close(() => r()));
  return lat;
}

export async function runPipeline(run: number, o: PipelineOptions, stationId: number): Promise<PipelineRun> {
  const pty = await createPtyPair(path.join(o.dataDir, `bench-pty-${run}`));
  const floor = (await measureFloor(pty, 200)).sort((a, b) => a - b);
  const server = await startServerProcess(o.dataDir, { TRACEDOCK_ADMIN_PASSWORD: DEV_ADMIN_INITIAL_PASSWORD });
  try {
    await sleep(3000);
    const idleRssMiB = server.rssMiB();
    const { cookie } = await establishAdminSession(server.url);
    const bind = await fetch(`${server.url}/api/scanners`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ transport: 'serial', path: pty.scannerPath, stationId, options: { suffix: 'CR', baudRate: 115200 } }),
    });
    if (!bind.ok) throw new Error(`bind failed: ${await bind.text()}`);
    const client: Client = io(server.url, { transports: ['websocket'], forceNew: true, extraHeaders: { cookie } });
    const seen = new Map<string, number>();
    const order: string[] = [];
    const rejected: string[] = [];
    const onScan = (s: ScanView) => {
      seen.set(s.text, performance.now());
      order.push(s.text);
      if (s.decision === 'rejected') rejected.push(s.text);
    };
    client.on('scan.recorded', onScan);
    client.on('scan.rejected', onScan);
    const joined = await new Promise<{ ok: boolean }>((r) => client.emit('station.join', { stationId }, r));
    if (!joined.ok) throw new Error('station.join failed');

    // Latency at a dock's pace: one scan every 1/rate seconds.
    const lat: number[] = [];
    const interval = 1000 / o.ratePerSecond;
    for (let i = 0; i < o.latencyScans; i++) {
      const code = traceCode(run * 2 + 1, i);
      const t0 = performance.now();
      await pty.write(`${code}\r`);
      const deadline = t0 + 5000;
      while (!seen.has(code) && performance.now() < deadline) await sleep(0.2);
      lat.push((seen.get(code) ?? Number.NaN) - t0);
      await sleep(Math.max(0, interval - (performance.now() - t0)));
    }

    // Burst: everything back-to-back in one write.
    order.length = 0;
    rejected.length = 0;
    const burst = Array.from({ length: o.burstScans }, (_, i) => traceCode(run * 2 + 2, i));
    const b0 = performance.now();
    await pty.write(burst.map((c) => `${c}\r`).join(''));
    const last = burst[burst.length - 1]!;
    const deadline = b0 + 120_000;
    while (!seen.has(last) && performance.now() < deadline) await sleep(5);
    await sleep(500); // anything late or duplicated would show up now
    const burstSeconds = ((seen.get(last) ?? performance.now()) - b0) / 1000;
    const burstOrder = order.filter((t) => t.startsWith(burst[0]!.slice(0, 7)));
    client.close();

    await server.stop();
    const db = await openDb({ dataDir: o.dataDir });
    const stored = (await db.knex('scan_events').whereIn('text', burst).orderBy('id').select('text')) as Array<{ text: string }>;
    const n = Number(((await db.knex('scan_events').count({ n: '*' })) as Array<{ n: number }>)[0]?.n ?? 0);
    await db.close();
    const sorted = lat.filter(Number.isFinite).sort((a, b) => a - b);
    return {
      floorP50: percentile(floor, 50),
      floorP99: percentile(floor, 99),
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted[sorted.length - 1] ?? Number.NaN,
      lost: lat.length - sorted.length,
      burstStored: stored.length,
      burstRejected: rejected.length,
      burstInOrder: stored.every((r, i) => r.text === burst[i]) && burstOrder.every((t, i) => t === burst[i]),
      burstPerSecond: o.burstScans / burstSeconds,
      idleRssMiB,
      journalRows: Number(n),
    };
  } finally {
    await server.stop().catch(() => {});
    await pty.close();
  }
}
