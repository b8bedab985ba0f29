/**
 * Relation import (issue 5): a relation XML of 1 000 000 codes streamed from disk through the real
 * RelationService into a fresh SQLite database, next to the ceiling measured in the same run —
 * the same rows inserted set-based (INSERT … SELECT FROM json_each) into an identical empty
 * `packs` — and the XML reader alone. Each part runs in its own process, so the peak RSS is the
 * import's own.
 *
 *   tsx scripts/bench/relation-import.bench.ts [--quick]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { writeRelationFile } from './relation-file.js';
import { fmt, markdownTable, median } from './stats.js';

interface Part {
  ms: number;
  records: number;
  peakRssMiB?: number;
  baselineRssMiB?: number;
  parents?: number;
}

interface Run {
  importPerSec: number;
  ceilingPerSec: number;
  parsePerSec: number;
  ratio: number;
  peakRssMiB: number;
  baselineRssMiB: number;
  importSeconds: number;
}

const root = path.resolve(import.meta.dirname, '../..');
const TARGET_RATIO = 0.5;
const TARGET_RSS_MIB = 300;

export async function runRelationImportBench(o: { quick?: boolean } = {}): Promise<{ markdown: string; runs: Run[] }> {
  const cases = o.quick ? 6250 : 62_500; // × 16 codes
  const runs = o.quick ? 1 : 3;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracedock-relbench-'));
  try {
    // Inside the repository, so the bundle's external packages resolve from node_modules.
    const child = path.join(root, 'dist/bench/relation-import.child.mjs');
    await build({
      entryPoints: [path.join(import.meta.dirname, 'relation-import.child.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      target: 'node20',
      outfile: child,
      logLevel: 'warning',
    });
    const file = path.join(dir, 'relations.xml');
    console.error(`writing a relation XML of ${(cases * 16).toLocaleString()} codes…`);
    await writeRelationFile(file, cases);
    const sizeMiB = fs.statSync(file).size / 1048576;
    const part = (...args: string[]): Part =>
      JSON.parse(execFileSync(process.execPath, [child, ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop()!) as Part;

    const results: Run[] = [];
    for (let r = 0; r < runs; r++) {
      console.error(`relation import run ${r + 1}/${runs}: ceiling, import, reader alone…`);
      const ceilingDir = path.join(dir, `ceiling-${r}`);
      const importDir = path.join(dir, `import-${r}`);
      const ceiling = part('ceiling', ceilingDir, String(cases));
      const imp = part('import', importDir, file);
      const parse = part('parse', file);
      fs.rmSync(ceilingDir, { recursive: true, force: true });
      fs.rmSync(importDir, { recursive: true, force: true });
      if (imp.records !== cases * 16 || imp.parents !== cases * 6) throw new Error(`import stored ${imp.records} codes / ${imp.parents} parents`);
      const perSec = (p: Part) => p.records / (p.ms / 1000);
      results.push({
        importPerSec: perSec(imp),
        ceilingPerSec: perSec(ceiling),
        parsePerSec: perSec(parse),
        ratio: perSec(imp) / perSec(ceiling),
        peakRssMiB: imp.peakRssMiB!,
        baselineRssMiB: imp.baselineRssMiB!,
        importSeconds: imp.ms / 1000,
      });
    }
    const m = (f: (x: Run) => number) => median(results.map(f));
    const each = (f: (x: Run) => number, d = 0) => results.map((x) => fmt(f(x), d)).join(', ');
    const markdown =
      `${(cases * 16).toLocaleString()} codes (${fmt(sizeMiB, 0)} MiB of XML, 1:5:10 cases) streamed from disk through RelationService into a fresh SQLite database; ` +
      `${runs} run(s), medians shown; every part in its own process.\n\n` +
      markdownTable(
        ['figure', 'median', 'per run', 'limit / target'],
        [
          ['set-based insert ceiling (json_each → empty packs)', `${fmt(m((x) => x.ceilingPerSec), 0)} rows/s`, each((x) => x.ceilingPerSec), 'measured limit'],
          ['relation import (read, stage, check, merge)', `${fmt(m((x) => x.importPerSec), 0)} rows/s`, each((x) => x.importPerSec), ''],
          ['import ÷ ceiling', fmt(m((x) => x.ratio)), each((x) => x.ratio, 2), `target ≥ ${TARGET_RATIO} → ${m((x) => x.ratio) >= TARGET_RATIO ? 'met' : 'NOT met'}`],
          ['import wall time', `${fmt(m((x) => x.importSeconds), 1)} s`, each((x) => x.importSeconds, 1), ''],
          ['XML reader alone (no database)', `${fmt(m((x) => x.parsePerSec), 0)} rows/s`, each((x) => x.parsePerSec), ''],
          ['peak RSS of the import process', `${fmt(m((x) => x.peakRssMiB), 0)} MiB`, each((x) => x.peakRssMiB), `target ≤ ${TARGET_RSS_MIB} MiB → ${m((x) => x.peakRssMiB) <= TARGET_RSS_MIB ? 'met' : 'NOT met'}`],
          ['RSS before the import (process, database open)', `${fmt(m((x) => x.baselineRssMiB), 0)} MiB`, each((x) => x.baselineRssMiB), ''],
        ],
      );
    return { markdown, runs: results };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runRelationImportBench({ quick: process.argv.includes('--quick') }).then(
    (r) => console.log(r.markdown),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
