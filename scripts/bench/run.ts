import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCaseReceiveBench } from './case-receive.bench.js';
import { fmt, markdownTable, median } from './stats.js';
import { prepareJournal, runPipeline, type PipelineRun } from './scan-pipeline.bench.js';
import { buildServer } from './workstation-process.js';
import { runCodeLookupBench } from './code-lookup.bench.js';
import { runRelationImportBench } from './relation-import.bench.js';
import { runUploadBench } from './upload.bench.js';
import { runGansuBench } from './gansu.bench.js';
import { runTimelineBench } from './timeline.bench.js';
import { runExportBench } from './export.bench.js';

/**
 * `npm run bench` — figures for docs/benchmarks.md. Medians over several runs, each compared with a
 * limit measured in the same run (the bare pty transport floor) and with the target.
 * `npm run bench -- --quick` is a smoke run with smaller numbers.
 */
const quick = process.argv.includes('--quick');
/** `--only pipeline`, `decode`, `case`, `relations`, `uploads`, `gansu`, `lookup`, `timeline` or `export` runs one part. */
const only = process.argv[process.argv.indexOf('--only') + 1];
const wants = (part: string) => !process.argv.includes('--only') || only === part;
const runs = quick ? 1 : 3;
const opts = {
  dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'tracedock-bench-')),
  seedScans: quick ? 100_000 : 1_000_000,
  latencyScans: quick ? 200 : 1000,
  ratePerSecond: 20,
  burstScans: 5000,
};

async function main(): Promise<void> {
  const sections: string[] = [];
  const started = Date.now();

  if (wants('pipeline')) await pipelineSection(sections);
  const decodeBench = path.join(import.meta.dirname, 'decode.bench.ts');
  if (wants('decode') && fs.existsSync(decodeBench)) {
    console.error('decode throughput…');
    const mod = (await import('./decode.bench.js')) as { runDecodeBench(o?: { quick?: boolean }): Promise<{ markdown: string }> };
    sections.push(`### Decoder throughput\n\n${(await mod.runDecodeBench({ quick })).markdown}`);
  }
  if (wants('relations')) {
    console.error('relation import…');
    sections.push(`### Relation import (XML → packs)\n\n${(await runRelationImportBench({ quick })).markdown}`);
  }
  if (wants('case')) {
    console.error('receiving a 10 000-unit case…');
    sections.push(`### Receiving a case of 10 000 units (scan → rows → screen)\n\n${(await runCaseReceiveBench({ quick })).markdown}`);
  }
  if (wants('uploads')) {
    console.error('NHSA uploads to the sandbox…');
    sections.push(`### NHSA uploads to the local sandbox\n\n${(await runUploadBench({ quick })).markdown}`);
  }
  if (wants('gansu')) {
    console.error('Gansu uploads to the sandbox…');
    sections.push(`### Gansu uploads to the local sandbox\n\n${(await runGansuBench({ quick })).markdown}`);
  }
  if (wants('lookup')) {
    console.error('code-state lookup…');
    sections.push(`### Code-state lookup\n\n${(await runCodeLookupBench({ quick })).markdown}`);
  }

  if (wants('timeline')) {
    console.error('code timeline with 10 000 000 codes stored…');
    sections.push(`### Code timeline\n\n${(await runTimelineBench({ quick })).markdown}`);
  }
  if (wants('export')) {
    console.error('export of 100 000 codes…');
    sections.push(`### Export of 100 000 codes\n\n${(await runExportBench({ quick })).markdown}`);
  }

  const header = `## ${new Date().toISOString().slice(0, 10)} — ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}${quick ? ' (quick)' : ''}\n`;
  const report = `${header}\n${sections.join('\n\n')}\n\n_Total bench time ${fmt((Date.now() - started) / 1000, 0)} s._\n`;
  fs.mkdirSync('bench-results', { recursive: true });
  fs.writeFileSync('bench-results/latest.md', report);
  console.log(report);
  fs.rmSync(opts.dataDir, { recursive: true, force: true });
}

async function pipelineSection(sections: string[]): Promise<void> {
  buildServer();
  console.error(`seeding ${opts.seedScans.toLocaleString()} scans into the journal (set-based)…`);
  const t0 = Date.now();
  const stationId = await prepareJournal(opts.dataDir, opts.seedScans);
  const seedSeconds = (Date.now() - t0) / 1000;
  const results: PipelineRun[] = [];
  for (let r = 0; r < runs; r++) {
    console.error(`pipeline run ${r + 1}/${runs}: ${opts.latencyScans} scans at ${opts.ratePerSecond}/s, then a burst of ${opts.burstScans}…`);
    results.push(await runPipeline(r, opts, stationId));
  }
  const m = (f: (x: PipelineRun) => number) => median(results.map(f));
  sections.push(
    `### Scan pipeline (pty write → \`scan.recorded\` at a socket.io client)\n\n` +
      `Journal seeded with ${opts.seedScans.toLocaleString()} scans in ${fmt(seedSeconds, 1)} s (one INSERT … SELECT). ` +
      `${runs} run(s), medians shown; server in its own process.\n\n` +
      markdownTable(
        ['figure', 'median', 'per run', 'limit / target'],
        [
          ['transport floor p50 / p99 (bare pty, no TraceDock)', `${fmt(m((x) => x.floorP50))} / ${fmt(m((x) => x.floorP99))} ms`, results.map((x) => fmt(x.floorP99)).join(', '), 'measured limit'],
          ['scan-to-screen p50', `${fmt(m((x) => x.p50))} ms`, results.map((x) => fmt(x.p50)).join(', '), ''],
          ['scan-to-screen p99', `${fmt(m((x) => x.p99))} ms`, results.map((x) => fmt(x.p99)).join(', '), `target ≤ 10 ms → ratio ${fmt(m((x) => x.p99) / 10)}`],
          ['p99 over transport floor p99', `${fmt(m((x) => x.p99 / x.floorP99), 1)}×`, results.map((x) => fmt(x.p99 / x.floorP99, 1)).join(', '), ''],
          ['max', `${fmt(m((x) => x.max))} ms`, results.map((x) => fmt(x.max)).join(', '), ''],
          ['latency-phase scans lost', m((x) => x.lost), results.map((x) => x.lost).join(', '), '0'],
          [`burst of ${opts.burstScans}: stored`, m((x) => x.burstStored), results.map((x) => x.burstStored).join(', '), String(opts.burstScans)],
          ['burst: frames rejected (split or garbled)', m((x) => x.burstRejected), results.map((x) => x.burstRejected).join(', '), '0'],
          ['burst: order kept (journal and socket)', results.every((x) => x.burstInOrder) ? 'yes' : 'NO', results.map((x) => (x.burstInOrder ? 'yes' : 'no')).join(', '), 'yes'],
          ['burst throughput', `${fmt(m((x) => x.burstPerSecond), 0)} scans/s`, results.map((x) => fmt(x.burstPerSecond, 0)).join(', '), ''],
          ['idle RSS of the server', `${fmt(m((x) => x.idleRssMiB), 1)} MiB`, results.map((x) => fmt(x.idleRssMiB, 1)).join(', '), ''],
          ['journal rows at the end', m((x) => x.journalRows).toLocaleString(), '', ''],
        ],
      ),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
