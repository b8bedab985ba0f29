import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { RelationImportError } from '../../server/services/relations/index.js';
import { startWorkstation, type Workstation } from '../../server/workstation.js';
import { relationXmlChunks } from '../../server/domain/hierarchy/relation-xml/index.js';
import { generatedRelations } from '../../scripts/bench/relation-file.js';
import { startTempPostgres, type TempPostgres } from '../helpers/postgres.js';
import { tempDir } from '../helpers/workstation.js';

const FIXTURE = path.join(import.meta.dirname, '../fixtures/relations/case-1-5-10.xml');
const meta = { fileName: 'pg.xml', format: 'xml' as const, unitId: null, operatorId: null };
const text = async (r: Readable) => {
  let s = '';
  for await (const c of r) s += String(c);
  return s;
};

// Several docks may share one PostgreSQL database: staging, checks and merge take the PG branch there.
describe('package-relation import on PostgreSQL', () => {
  let pg: TempPostgres;
  let w: Workstation;
  beforeAll(async () => {
    pg = await startTempPostgres();
    w = await startWorkstation(loadConfig({ TRACEDOCK_PORT: '0', TRACEDOCK_DATA_DIR: tempDir(), TRACEDOCK_DB_URL: pg.url }), { logger: pino({ level: 'silent' }) });
  }, 60_000);
  afterAll(async () => {
    await w?.stop();
    await pg?.stop();
  });

  it('imports, refuses with the offending codes and nothing written, re-imports idempotently, exports', async () => {
    const relations = w.dock.relations;
    const ok = await relations.import(fs.createReadStream(FIXTURE), meta);
    expect(ok).toMatchObject({ records: 16, parents: 6, partialParents: 0 });
    const stored = await w.db.knex('packs').orderBy('code');
    expect(await relations.import(fs.createReadStream(FIXTURE), meta)).toMatchObject({ records: 16 });
    expect(await w.db.knex('packs').orderBy('code')).toEqual(stored);

    const bad = Readable.from(['81000010000000129999,81000020000000099999,1\n', '83000010000000000001,83000020000000000009,1\n', '83000010000000000001,,1\n']);
    const err = (await relations.import(bad, { ...meta, format: 'csv' }).catch((e: unknown) => e)) as RelationImportError;
    expect(err).toBeInstanceOf(RelationImportError);
    expect(err.code).toBe('RELATION_CONFLICT');
    expect(err.view.violations.map((v) => [v.reason, v.codes[0]])).toEqual([
      ['duplicate_in_file', '83000010000000000001'],
      ['already_packed', '81000010000000129999'],
      ['parent_missing', '83000010000000000001'],
    ]);
    expect(await w.db.knex('packs').count({ n: '*' })).toEqual([{ n: '16' }]);
    const tables = await w.db.knex.raw(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename ~ '^relation_(stage|group|cap)_'`);
    expect(tables.rows[0].n).toBe(0);

    const { stream } = await relations.export(1, { roots: ['81000030000000019999'] });
    const xml = await text(stream);
    expect(xml.match(/<Code /g)).toHaveLength(16);
  });

  it('imports 50 000 codes set-based', async () => {
    const file = Readable.from(relationXmlChunks(generatedRelations(3125)));
    const r = await w.dock.relations.import(file, { ...meta, fileName: 'gen.xml' }).catch((e: unknown) => {
      throw e instanceof RelationImportError ? new Error(JSON.stringify(e.view)) : e;
    });
    // The generator's codes start where the fixture's end only by chance; the counts are the file's.
    expect(r).toMatchObject({ records: 50_000, parents: 18_750, partialParents: 0 });
  }, 60_000);
});
