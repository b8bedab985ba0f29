/**
 * A code's timeline (issue 8) with 10 000 000 codes stored: the hierarchy of every code, its state,
 * two movements per code (20 000 000 journal rows), one platform answer per code, and an unpack
 * event for every tenth code — all seeded set-based. Measures `TimelineService.timeline()` through
 * the real repositories and connection settings on random units, middles and cases; p50/p99 over
 * 3 runs, next to the code-state lookup (one primary-key probe) measured on the same database as
 * the floor a timeline cannot beat.
 *
 *   tsx scripts/bench/timeline.bench.ts [--quick]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import { openDb } from '../../db/connection.js';
import { CodeStatesRepository } from '../../db/repositories/code-states.repository.js';
import { TimelineService } from '../../server/services/supervisor/timeline.service.js';
import { fmt, markdownTable, median, percentile } from './stats.js';

const TARGET_P99_MS = 20;
const CHUNK = 1_000_000;
/** Code n: a 7-digit prefix and a 13-digit serial; every 100th a case, every 10th a middle, the rest units. */
const code = (n: number) => `8100001${String(n).padStart(13, '0')}`;
const CODE_SQL = (n: string) => `'8100001' || printf('%013d', ${n})`;
const LEVEL_SQL = `CASE WHEN n % 100 = 0 THEN 3 WHEN n % 10 = 0 THEN 2 ELSE 1 END`;
const PARENT_SQL = `CASE WHEN n % 100 = 0 THEN NULL WHEN n % 10 = 0 THEN ${CODE_SQL('n - n % 100')} ELSE ${CODE_SQL('n - n % 10')} END`;

async function seed(knex: Knex, total: number): Promise<number> {
  const now = Date.now();
  const [unit] = (await knex('units').insert({ name: '兰州医药物流', uscc: '91620100MA00BENCH1', type: 'distributor', created_at: now, updated_at: now }).returning('id')) as Array<{ id: number }>;
  const unitId = Number(unit!.id);
  const [cp] = (await knex('counterparties').insert({ unit_id: unitId, name: '华北制药股份有限公司', uscc: '91110000600037341L', type: 'manufacturer', created_at: now, updated_at: now }).returning('id')) as Array<{ id: number }>;
  const [product] = (await knex('products').insert({ code: 'P-BENCH', name: '阿莫西林胶囊', created_at: now, updated_at: now }).returning('id')) as Array<{ id: number }>;
  const movements = Math.ceil(total / 10_000);
  // One inbound document per 10 000 codes: a receive and a completion movement each.
  await knex.raw(
    `WITH RECURSIVE d(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM d WHERE i + 1 < ?)
     INSERT INTO documents (id, unit_id, direction, number, type, counterparty_id, status, created_at) SELECT i + 1, ?, 'in', 'RK-' || i, '102', ?, 'completed', ? FROM d`,
    [movements, unitId, cp!.id, now],
  );
  await knex.raw(
    `WITH RECURSIVE d(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM d WHERE i + 1 < ?)
     INSERT INTO movements (id, unit_id, kind, document_id, at) SELECT i * 2 + 1, ?, 'receive', i + 1, ? + i * 1000 FROM d
     UNION ALL SELECT i * 2 + 2, ?, 'complete', i + 1, ? + i * 1000 + 500 FROM d`,
    [movements, unitId, now - 86_400_000, unitId, now - 86_400_000],
  );
  await knex.raw(`INSERT INTO upload_records (id, unit_id, platform, operation, record_key, source, payload, state, next_attempt_at, created_at, updated_at) VALUES (1, ?, 'nhsa', 'circulation', 'bench', 'bench', '{}', 'accepted', 0, ?, ?)`, [unitId, now, now]);
  await knex.raw(`INSERT INTO upload_batches (id, unit_id, platform, operation, channel, record_count, outcome, http_status, created_at) VALUES (1, ?, 'nhsa', 'circulation', 'api', 6, 'answered', 200, ?)`, [unitId, now]);
  for (let from = 1; from <= total; from += CHUNK) {
    const to = Math.min(total, from + CHUNK - 1);
    const seq = `WITH RECURSIVE seq(n) AS (SELECT ? UNION ALL SELECT n + 1 FROM seq WHERE n < ?)`;
    await knex.raw(`${seq} INSERT INTO packs (code, level, product_id, batch, expiry, parent_code, source, updated_at) SELECT ${CODE_SQL('n')}, ${LEVEL_SQL}, ?, 'B' || (n / 100000), '2028-06-30', ${PARENT_SQL}, 'import', ? FROM seq`, [from, to, product!.id, now]);
    await knex.raw(
      `${seq} INSERT INTO code_states (unit_id, code, state, level, product_id, batch, expiry, document_id, movement_id, updated_at)
       SELECT ?, ${CODE_SQL('n')}, 'in_stock', ${LEVEL_SQL}, ?, 'B' || (n / 100000), '2028-06-30', n / 10000 + 1, (n / 10000) * 2 + 2, ? FROM seq`,
      [from, to, unitId, product!.id, now],
    );
    await knex.raw(
      `${seq} INSERT INTO movement_codes (movement_id, code, level, from_state, to_state, from_document_id, to_document_id)
       SELECT (n / 10000) * 2 + 1, ${CODE_SQL('n')}, ${LEVEL_SQL}, 'not_seen', 'receiving', NULL, n / 10000 + 1 FROM seq
       UNION ALL SELECT (n / 10000) * 2 + 2, ${CODE_SQL('n')}, ${LEVEL_SQL}, 'receiving', 'in_stock', n / 10000 + 1, n / 10000 + 1 FROM seq`,
      [from, to],
    );
    await knex.raw(
      `${seq} INSERT INTO upload_events (record_id, batch_id, unit_id, operation, code, event, at) SELECT 1, 1, ?, 'circulation', ${CODE_SQL('n')}, 'accepted', ? FROM seq`,
      [from, to, unitId, now],
    );
    await knex.raw(
      `${seq} INSERT INTO pack_events (kind, code, parent_code, unit_id, at) SELECT 'unpack', ${CODE_SQL('n')}, ${CODE_SQL('n - n % 10')}, ?, ? FROM seq WHERE n % 10 = 7`,
      [from, to, unitId, now],
    );
    await knex.raw('PRAGMA wal_checkpoint(TRUNCATE)');
    console.error(`  seeded ${to.toLocaleString()} codes`);
  }
  await knex.raw('ANALYZE');
  return unitId;
}

interface TimelineRun {
  p50: number;
  p99: number;
  max: number;
  caseP99: number;
  floorP50: number;
  floorP99: number;
  events: number;
}

async function measure(knex: Knex, unitId: number, total: number, samples: number, seedNo: number): Promise<TimelineRun> {
  let s = seedNo;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const service = new TimelineService(knex);
  const states = new CodeStatesRepository();
  // Units and middles (what a supervisor scans); cases apart, as their subtree is counted too.
  const probes = Array.from({ length: samples }, () => code(1 + Math.floor(rand() * (total - 1))));
  const cases = Array.from({ length: Math.max(50, samples / 20) }, () => code(100 * (1 + Math.floor(rand() * (total / 100 - 1)))));
  for (const c of probes.slice(0, 200)) await service.timeline(unitId, c);
  const lat: number[] = [];
  let events = 0;
  for (const c of probes) {
    const t0 = performance.now();
    const tl = await service.timeline(unitId, c);
    lat.push(performance.now() - t0);
    events += tl.events.length;
  }
  const caseLat: number[] = [];
  for (const c of cases) {
    const t0 = performance.now();
    await service.timeline(unitId, c);
    caseLat.push(performance.now() - t0);
  }
  const floor: number[] = [];
  for (const c of probes) {
    const t0 = performance.now();
    await states.lookup(knex, unitId, c);
    floor.push(performance.now() - t0);
  }
  for (const xs of [lat, caseLat, floor]) xs.sort((a, b) => a - b);
  return { p50: percentile(lat, 50), p99: percentile(lat, 99), max: lat[lat.length - 1]!, caseP99: percentile(caseLat, 99), floorP50: percentile(floor, 50), floorP99: percentile(floor, 99), events: events / samples };
}

export async function runTimelineBench(o: { quick?: boolean } = {}): Promise<{ markdown: string; runs: TimelineRun[] }> {
  const total = o.quick ? 1_000_000 : 10_000_000;
  const samples = o.quick ? 500 : 2000;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracedock-timeline-'));
  const db = await openDb({ dataDir });
  try {
    console.error(`seeding ${total.toLocaleString()} codes with hierarchy, states, 2 movements, an upload answer each (set-based)…`);
    const t0 = performance.now();
    await db.knex.raw('PRAGMA foreign_keys = OFF'); // the seed writes parents and children in id order, not dependency order
    const unitId = await seed(db.knex, total);
    await db.knex.raw('PRAGMA foreign_keys = ON');
    const seedSeconds = (performance.now() - t0) / 1000;
    const sizeMiB = fs.statSync(path.join(dataDir, 'tracedock.sqlite')).size / 1048576;
    const runs: TimelineRun[] = [];
    for (let r = 0; r < 3; r++) {
      console.error(`timeline run ${r + 1}/3: ${samples} codes…`);
      runs.push(await measure(db.knex, unitId, total, samples, 11 + r));
    }
    const m = (f: (x: TimelineRun) => number) => median(runs.map(f));
    const each = (f: (x: TimelineRun) => number, d = 2) => runs.map((x) => fmt(f(x), d)).join(', ');
    const markdown =
      `\`TimelineService.timeline(unitId, code)\` with ${total.toLocaleString()} codes stored (packs, code states, ${(total * 2).toLocaleString()} movement rows, ` +
      `${total.toLocaleString()} upload answers, ${(total / 10).toLocaleString()} unpack events; ${fmt(sizeMiB, 0)} MiB database, seeded in ${fmt(seedSeconds, 0)} s); ` +
      `${samples} random units and middles per run (${fmt(m((x) => x.events), 1)} events each on average), plus cases of 10 middles / 99 units; 3 runs, medians shown.\n\n` +
      markdownTable(
        ['figure', 'median', 'per run', 'limit / target'],
        [
          ['code-state lookup p50 / p99 (one primary-key probe, same database)', `${fmt(m((x) => x.floorP50), 3)} / ${fmt(m((x) => x.floorP99), 3)} ms`, each((x) => x.floorP99, 3), 'measured floor'],
          ['timeline p50', `${fmt(m((x) => x.p50))} ms`, each((x) => x.p50), ''],
          ['timeline p99', `${fmt(m((x) => x.p99))} ms`, each((x) => x.p99), `target ≤ ${TARGET_P99_MS} ms → ${m((x) => x.p99) <= TARGET_P99_MS ? 'met' : 'NOT met'}`],
          ['timeline p99 ÷ lookup p99', fmt(m((x) => x.p99 / x.floorP99), 1), each((x) => x.p99 / x.floorP99, 1), ''],
          ['timeline max', `${fmt(m((x) => x.max))} ms`, each((x) => x.max), ''],
          ['timeline of a case p99', `${fmt(m((x) => x.caseP99))} ms`, each((x) => x.caseP99), `target ≤ ${TARGET_P99_MS} ms`],
        ],
      );
    return { markdown, runs };
  } finally {
    await db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runTimelineBench({ quick: process.argv.includes('--quick') }).then(
    (r) => console.log(r.markdown),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
