/**
 * Code-state lookup (issue 5): the dock's hot read — where does this code stand at this unit —
 * against a `code_states` of 10 000 000 rows (a busy site's years), through the real repository
 * and connection settings. p50/p99 over random existing and missing codes, median of 3 runs, next
 * to a `SELECT 1` round trip through the same knex pool (the driver's floor).
 *
 *   tsx scripts/bench/code-lookup.bench.ts [--quick]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import { openDb } from '../../db/connection.js';
import { CodeStatesRepository } from '../../db/repositories/code-states.repository.js';
import { fmt, markdownTable, median, percentile } from './stats.js';

const PREFIXES = 300;
const TARGET_P99_MS = 2;

/**
 * Code of row `n` (1-based) of `total`: `8` + a 6-digit prefix + a 13-digit serial, ascending with
 * `n` so the seed appends to the primary key instead of splitting pages at random. Serials are
 * ≡ 3 (mod 7); the same place with ≡ 4 is a realistic code that is not there.
 */
export function seededCode(n: number, total: number, present = true): string {
  const prefix = 100_000 + Math.floor((n * PREFIXES) / (total + 1)) * 37;
  return `8${prefix}${String(n * 7 + (present ? 3 : 4)).padStart(13, '0')}`;
}

/** Set-based seed, a million rows per statement (one recursive CTE each), checkpointed between so the WAL stays small. */
export async function seedCodeStates(knex: Knex, unitId: number, total: number, now = Date.now()): Promise<void> {
  const chunk = 1_000_000;
  for (let from = 1; from <= total; from += chunk) {
    const to = Math.min(total, from + chunk - 1);
    await knex.raw(
      `WITH RECURSIVE seq(n) AS (SELECT ? UNION ALL SELECT n + 1 FROM seq WHERE n < ?)
       INSERT INTO code_states (unit_id, code, state, level, product_id, batch, expiry, document_id, movement_id, updated_at)
       SELECT ?, '8' || (100000 + (n * ? / (? + 1)) * 37) || printf('%013d', n * 7 + 3),
              CASE n % 20 WHEN 0 THEN 'shipped' WHEN 1 THEN 'receiving' WHEN 2 THEN 'picking' WHEN 3 THEN 'returned' WHEN 4 THEN 'locked' ELSE 'in_stock' END,
              CASE WHEN n % 16 = 0 THEN 3 WHEN n % 16 < 6 THEN 2 ELSE 1 END,
              1 + n * ? / (? + 1), 'B' || (n % 50), '2027-06-30', n / 500, n / 100, ?
       FROM seq`,
      [from, to, unitId, PREFIXES, total, PREFIXES, total, now],
    );
    await knex.raw('PRAGMA wal_checkpoint(TRUNCATE)');
  }
}

interface LookupRun {
  p50: number;
  p99: number;
  max: number;
  floorP50: number;
  floorP99: number;
  wrong: number;
}

async function measure(knex: Knex, unitId: number, total: number, samples: number, seed: number): Promise<LookupRun> {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const repo = new CodeStatesRepository();
  const probes = Array.from({ length: samples }, (_, i) => ({ code: seededCode(1 + Math.floor(rand() * total), total, i % 2 === 0), present: i % 2 === 0 }));
  for (const p of probes.slice(0, 500)) await repo.lookup(knex, unitId, p.code); // warm the driver and statement cache
  const lat: number[] = [];
  let wrong = 0;
  for (const p of probes) {
    const t0 = performance.now();
    const row = await repo.lookup(knex, unitId, p.code);
    lat.push(performance.now() - t0);
    if ((row !== undefined) !== p.present) wrong++;
  }
  const floor: number[] = [];
  for (let i = 0; i < Math.min(samples, 5000); i++) {
    const t0 = performance.now();
    await knex.raw('SELECT 1');
    floor.push(performance.now() - t0);
  }
  lat.sort((a, b) => a - b);
  floor.sort((a, b) => a - b);
  return { p50: percentile(lat, 50), p99: percentile(lat, 99), max: lat[lat.length - 1]!, floorP50: percentile(floor, 50), floorP99: percentile(floor, 99), wrong };
}

export async function runCodeLookupBench(o: { quick?: boolean } = {}): Promise<{ markdown: string; runs: LookupRun[] }> {
  const total = o.quick ? 1_000_000 : 10_000_000;
  const samples = o.quick ? 5000 : 20_000;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracedock-lookup-'));
  const db = await openDb({ dataDir });
  try {
    const now = Date.now();
    const [unit] = (await db.knex('units').insert({ name: 'bench', uscc: '91620100MA00BENCH1', type: 'distributor', created_at: now, updated_at: now }).returning('id')) as Array<{ id: number }>;
    const unitId = Number(unit!.id);
    console.error(`seeding ${total.toLocaleString()} code states (set-based)…`);
    const t0 = performance.now();
    await seedCodeStates(db.knex, unitId, total, now);
    const seedSeconds = (performance.now() - t0) / 1000;
    const sizeMiB = fs.statSync(path.join(dataDir, 'tracedock.sqlite')).size / 1048576;
    const runs: LookupRun[] = [];
    for (let r = 0; r < 3; r++) {
      console.error(`lookup run ${r + 1}/3: ${samples.toLocaleString()} codes, half missing…`);
      runs.push(await measure(db.knex, unitId, total, samples, 7 + r));
    }
    const m = (f: (x: LookupRun) => number) => median(runs.map(f));
    const each = (f: (x: LookupRun) => number, d = 3) => runs.map((x) => fmt(f(x), d)).join(', ');
    const markdown =
      `\`CodeStatesRepository.lookup(knex, unitId, code)\` on ${total.toLocaleString()} rows of \`code_states\` (${PREFIXES} prefixes, mixed states; ` +
      `${fmt(sizeMiB, 0)} MiB database, seeded in ${fmt(seedSeconds, 0)} s set-based); ${samples.toLocaleString()} random codes per run, half of them missing; 3 runs, medians shown.\n\n` +
      markdownTable(
        ['figure', 'median', 'per run', 'limit / target'],
        [
          ['round-trip floor p50 / p99 (`SELECT 1` through the same pool)', `${fmt(m((x) => x.floorP50), 3)} / ${fmt(m((x) => x.floorP99), 3)} ms`, each((x) => x.floorP99), 'measured limit'],
          ['lookup p50', `${fmt(m((x) => x.p50), 3)} ms`, each((x) => x.p50), ''],
          ['lookup p99', `${fmt(m((x) => x.p99), 3)} ms`, each((x) => x.p99), `target ≤ ${TARGET_P99_MS} ms → ${m((x) => x.p99) <= TARGET_P99_MS ? 'met' : 'NOT met'}`],
          ['lookup max', `${fmt(m((x) => x.max), 2)} ms`, each((x) => x.max, 2), ''],
          ['wrong answers (found ≠ seeded)', m((x) => x.wrong), runs.map((x) => x.wrong).join(', '), '0'],
        ],
      );
    return { markdown, runs };
  } finally {
    await db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runCodeLookupBench({ quick: process.argv.includes('--quick') }).then(
    (r) => console.log(r.markdown),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
