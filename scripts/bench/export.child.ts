/**
 * One measured part of the export bench, in its own process so its peak RSS is its own; prints one
 * JSON line. `seed <dataDir> <codes>` builds the database; `export <dataDir> <format>` runs one
 * export job through the real service and runner; `floor <dir> <codes>` writes a workbook of the
 * same shape (one row per code, two event rows per code) with the same XLSX writer straight from
 * memory — no database, no journal reads — the limit an export cannot beat.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { openDb } from '../../db/connection.js';
import { DomainEventBus } from '../../server/events.js';
import { createExports } from '../../server/services/exports/index.js';
import { CODE_COLUMNS, EVENT_COLUMNS } from '../../server/services/exports/labels.js';
import { XlsxStreamWriter, type Cells } from '../../server/services/exports/xlsx-stream.js';

function peakRssMiB(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : process.memoryUsage().rss / 1048576;
}

const CODE = (n: string) => `'8100001' || printf('%013d', ${n})`;

async function seed(dataDir: string, codes: number): Promise<object> {
  const db = await openDb({ dataDir });
  const k = db.knex;
  const now = Date.now();
  const [unit] = (await k('units').insert({ name: '兰州医药物流', uscc: '91620100MA00BENCH1', type: 'distributor', created_at: now, updated_at: now }).returning('id')) as Array<{ id: number }>;
  const unitId = Number(unit!.id);
  const [cp] = (await k('counterparties').insert({ unit_id: unitId, name: '华北制药股份有限公司', uscc: '91110000600037341L', type: 'manufacturer', created_at: now, updated_at: now }).returning('id')) as Array<{ id: number }>;
  const [p] = (await k('products').insert({ code: 'P-BENCH', name: '阿莫西林胶囊', nhsa_code: 'XJ01CAA040A001010100001', created_at: now, updated_at: now }).returning('id')) as Array<{ id: number }>;
  await k('documents').insert({ id: 1, unit_id: unitId, direction: 'in', number: 'RK-0001', type: '102', counterparty_id: cp!.id, status: 'completed', created_at: now });
  await k('movements').insert([
    { id: 1, unit_id: unitId, kind: 'receive', document_id: 1, at: now - 60_000 },
    { id: 2, unit_id: unitId, kind: 'complete', document_id: 1, at: now },
  ]);
  const seq = `WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ?)`;
  await k.raw(`${seq} INSERT INTO packs (code, level, product_id, batch, expiry, parent_code, source, updated_at) SELECT ${CODE('n')}, 1, ?, 'B2026', '2028-06-30', NULL, 'import', ? FROM seq`, [codes, p!.id, now]);
  await k.raw(
    `${seq} INSERT INTO code_states (unit_id, code, state, level, product_id, batch, expiry, document_id, movement_id, updated_at) SELECT ?, ${CODE('n')}, 'in_stock', 1, ?, 'B2026', '2028-06-30', 1, 2, ? FROM seq`,
    [codes, unitId, p!.id, now],
  );
  await k.raw(
    `${seq} INSERT INTO movement_codes (movement_id, code, level, from_state, to_state, from_document_id, to_document_id)
     SELECT 1, ${CODE('n')}, 1, 'not_seen', 'receiving', NULL, 1 FROM seq UNION ALL SELECT 2, ${CODE('n')}, 1, 'receiving', 'in_stock', 1, 1 FROM seq`,
    [codes],
  );
  await db.close();
  return { unitId };
}

async function runExport(dataDir: string, format: 'xlsx' | 'csv'): Promise<object> {
  const db = await openDb({ dataDir });
  const log = pino({ level: 'silent' });
  const exports = createExports({ knex: db.knex, dataDir, bus: new DomainEventBus(), log, options: { retentionMs: 86_400_000 } });
  await exports.start();
  const baseline = peakRssMiB();
  const t0 = performance.now();
  const job = await exports.service.create(1, null, { query: { batch: 'B2026', sort: 'code', order: 'asc' }, format });
  const frozenMs = performance.now() - t0;
  await exports.runner.idle();
  const ms = performance.now() - t0;
  const done = await exports.service.view(1, job.id);
  const peak = peakRssMiB();
  await exports.stop();
  await db.close();
  return { ms, frozenMs, codes: done.total, status: done.status, bytes: done.fileSize, baselineRssMiB: baseline, peakRssMiB: peak };
}

async function floor(dir: string, codes: number): Promise<object> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'floor.xlsx');
  const nodes = '2026-11-22 10:00:00 收货扫描 →收货中 RK-0001 华北制药股份有限公司; 2026-11-22 10:01:00 单据完成 →在库 RK-0001 华北制药股份有限公司';
  const t0 = performance.now();
  const wb = new XlsxStreamWriter(file, [
    { name: 'codes', header: CODE_COLUMNS, widths: CODE_COLUMNS.map(() => 10) },
    { name: 'events', header: EVENT_COLUMNS, widths: EVENT_COLUMNS.map(() => 10) },
  ]);
  for (let from = 1; from <= codes; from += 2000) {
    const a: Cells[] = [];
    const b: Cells[] = [];
    for (let n = from; n < from + 2000 && n <= codes; n++) {
      const code = `8100001${String(n).padStart(13, '0')}`;
      a.push([n, code, 1, '阿莫西林胶囊', 'XJ01CAA040A001010100001', 'B2026', '2028-06-30', '在库', '', 2, nodes]);
      for (let e = 0; e < 2; e++) b.push([code, '2026-11-22 10:00:00', '收货扫描', '未见', '收货中', 'RK-0001', '华北制药股份有限公司', '91110000600037341L', '', '', '', '']);
    }
    await wb.rows(0, a);
    await wb.rows(1, b);
  }
  await wb.finish();
  return { ms: performance.now() - t0, peakRssMiB: peakRssMiB(), bytes: fs.statSync(file).size };
}

const [mode, dir, arg] = process.argv.slice(2);
const run = mode === 'seed' ? seed(dir!, Number(arg)) : mode === 'export' ? runExport(dir!, arg as 'xlsx' | 'csv') : floor(dir!, Number(arg));
run.then(
  (r) => console.log(JSON.stringify(r)),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
