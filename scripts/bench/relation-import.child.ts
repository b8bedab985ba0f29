/**
 * One measured part of the relation-import bench, in its own process so that its peak RSS is its
 * own: `import <dataDir> <file>`, `ceiling <dataDir> <cases>` or `parse <file>`. Prints one JSON line.
 * Run as an esbuild bundle (what `npm start` runs), not through tsx, whose compiler would be counted.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { openDb } from '../../db/connection.js';
import { readRelationXml } from '../../server/domain/hierarchy/relation-xml/index.js';
import { RelationService } from '../../server/services/relations/index.js';
import { generatedRelations } from './relation-file.js';

/** Peak RSS of this process (Linux high-water mark), falling back to the current RSS. */
function peakRssMiB(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : process.memoryUsage().rss / 1048576;
}

async function importFile(dataDir: string, file: string): Promise<object> {
  const db = await openDb({ dataDir });
  const service = new RelationService({ knex: db.knex, dataDir });
  const baseline = peakRssMiB();
  const t0 = performance.now();
  const r = await service.import(fs.createReadStream(file, { highWaterMark: 256 * 1024 }), { fileName: 'bench.xml', format: 'xml', unitId: null, operatorId: null });
  const ms = performance.now() - t0;
  const peak = peakRssMiB();
  await db.close();
  return { ms, records: r.records, parents: r.parents, partialParents: r.partialParents, baselineRssMiB: baseline, peakRssMiB: peak };
}

/** The same rows straight into an empty `packs` of a fresh database: JSON batches, one transaction, nothing else. */
async function ceiling(dataDir: string, cases: number): Promise<object> {
  const db = await openDb({ dataDir });
  const batches: string[] = [];
  for (const recs of generatedRelations(cases)) {
    batches.push(JSON.stringify(recs.map((r) => [r.code, r.level, r.relation?.productCode, r.batch?.batchNo, r.batch?.madeDate, r.batch?.validateDate, r.parent ?? null])));
  }
  const t0 = performance.now();
  await db.knex.transaction(async (trx) => {
    for (const json of batches) {
      await trx.raw(
        `INSERT INTO packs (code, level, product_id, product_code, batch, made_date, expiry, parent_code, source, import_id, updated_at)
         SELECT value->>0, value->>1, NULL, value->>2, value->>3, value->>4, value->>5, value->>6, 'import', NULL, 0 FROM json_each(?)`,
        [json],
      );
    }
  });
  const ms = performance.now() - t0;
  await db.close();
  return { ms, records: cases * 16 };
}

async function parse(file: string): Promise<object> {
  const t0 = performance.now();
  let records = 0;
  for await (const recs of readRelationXml(fs.createReadStream(file, { highWaterMark: 256 * 1024 }))) records += recs.length;
  return { ms: performance.now() - t0, records };
}

const [mode, a, b] = process.argv.slice(2);
const run = mode === 'import' ? importFile(a!, b!) : mode === 'ceiling' ? ceiling(a!, Number(b)) : parse(a!);
run.then(
  (r) => console.log(JSON.stringify(r)),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
