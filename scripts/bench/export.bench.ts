/**
 * Export of 100 000 codes (issue 8): seconds and peak RSS of one background export job to XLSX
 * (and CSV) through the real service and runner, each in its own process, next to the same
 * workbook written by the same streaming writer from memory (the floor). 3 runs, medians shown.
 *
 *   tsx scripts/bench/export.bench.ts [--quick]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { fmt, markdownTable, median } from './stats.js';

const root = path.resolve(import.meta.dirname, '../..');
const TARGET_S = 5;
const TARGET_RSS_MB = 250;

interface Part {
  ms: number;
  peakRssMiB: number;
  bytes: number;
  codes?: number;
  status?: string;
  frozenMs?: number;
}

interface Run {
  xlsx: Part;
  csv: Part;
  floor: Part;
}

export async function runExportBench(o: { quick?: boolean } = {}): Promise<{ markdown: string; runs: Run[] }> {
  const codes = o.quick ? 20_000 : 100_000;
  const runs = o.quick ? 1 : 3;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracedock-exportbench-'));
  try {
    const child = path.join(root, 'dist/bench/export.child.mjs');
    await build({ entryPoints: [path.join(import.meta.dirname, 'export.child.ts')], bundle: true, platform: 'node', format: 'esm', packages: 'external', target: 'node20', outfile: child, logLevel: 'warning' });
    const part = (...args: string[]): Part =>
      JSON.parse(execFileSync(process.execPath, [child, ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop()!) as Part;
    const dataDir = path.join(dir, 'db');
    console.error(`seeding ${codes.toLocaleString()} codes with two movements each…`);
    part('seed', dataDir, String(codes));
    const results: Run[] = [];
    for (let r = 0; r < runs; r++) {
      console.error(`export run ${r + 1}/${runs}: floor, XLSX, CSV…`);
      const floor = part('floor', path.join(dir, `floor-${r}`), String(codes));
      const xlsx = part('export', dataDir, 'xlsx');
      const csv = part('export', dataDir, 'csv');
      for (const p of [xlsx, csv]) if (p.status !== 'done' || p.codes !== codes) throw new Error(`export ended ${p.status} with ${p.codes} codes`);
      results.push({ xlsx, csv, floor });
    }
    const m = (f: (x: Run) => number) => median(results.map(f));
    const each = (f: (x: Run) => number, d = 2) => results.map((x) => fmt(f(x), d)).join(', ');
    const xlsxS = m((x) => x.xlsx.ms / 1000);
    const rss = m((x) => x.xlsx.peakRssMiB * 1.048576);
    const markdown =
      `One export job of ${codes.toLocaleString()} codes (each with 2 movement events: a codes sheet and an events sheet of ${(codes * 2).toLocaleString()} rows), ` +
      `from \`POST /api/exports\`'s service call (freeze) to the finished file, in a process of its own; ${runs} runs, medians shown.\n\n` +
      markdownTable(
        ['figure', 'median', 'per run', 'limit / target'],
        [
          ['floor: same workbook from memory, same XLSX writer, no database', `${fmt(m((x) => x.floor.ms / 1000))} s, ${fmt(m((x) => x.floor.peakRssMiB * 1.048576), 0)} MB`, each((x) => x.floor.ms / 1000), 'measured limit'],
          ['XLSX export', `${fmt(xlsxS)} s`, each((x) => x.xlsx.ms / 1000), `target ≤ ${TARGET_S} s → ${xlsxS <= TARGET_S ? 'met' : 'NOT met'}`],
          ['XLSX export ÷ floor', fmt(m((x) => x.xlsx.ms / x.floor.ms)), each((x) => x.xlsx.ms / x.floor.ms), ''],
          ['XLSX peak RSS', `${fmt(rss, 0)} MB`, each((x) => x.xlsx.peakRssMiB * 1.048576, 0), `target ≤ ${TARGET_RSS_MB} MB → ${rss <= TARGET_RSS_MB ? 'met' : 'NOT met'}`],
          ['freezing the codes (part of the above)', `${fmt(m((x) => x.xlsx.frozenMs ?? 0), 0)} ms`, each((x) => x.xlsx.frozenMs ?? 0, 0), ''],
          ['XLSX file size', `${fmt(m((x) => x.xlsx.bytes / 1048576), 1)} MiB`, each((x) => x.xlsx.bytes / 1048576, 1), ''],
          ['CSV export', `${fmt(m((x) => x.csv.ms / 1000))} s, ${fmt(m((x) => x.csv.peakRssMiB * 1.048576), 0)} MB`, each((x) => x.csv.ms / 1000), ''],
        ],
      );
    return { markdown, runs: results };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runExportBench({ quick: process.argv.includes('--quick') }).then(
    (r) => console.log(r.markdown),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
