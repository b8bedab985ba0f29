import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readRelationCsv } from './csv-reader.js';
import { readRelationXml } from './reader.js';
import { chunked, collect, flat } from './test-helpers.js';
import { RelationFileError } from './types.js';

const dir = new URL('../../../../test/fixtures/relations/', import.meta.url);
const csv = (s: string): Readable => Readable.from([Buffer.from(s)]);

describe('readRelationCsv: code,parent,level', () => {
  it('gives the same records as the XML of the same case (BOM, header, quotes, CRLF)', async () => {
    const fromCsv = await flat(readRelationCsv(chunked(readFileSync(new URL('case-1-5-10.csv', dir)), 5)));
    const fromXml = await flat(readRelationXml(chunked(readFileSync(new URL('case-1-5-10.xml', dir)), 4096)));
    expect(fromCsv).toEqual(fromXml.map(({ code, level, parent }) => (parent ? { code, parent, level } : { code, level })));
  });

  it('takes a header-less file with ; or tab and skips blank lines, in batches', async () => {
    const batches = await collect(readRelationCsv(csv('C,,3\n\nM;C;2\nU\tM\t1\n'), { batchSize: 2 }));
    expect(batches).toEqual([
      [
        { code: 'C', level: 3 },
        { code: 'M', parent: 'C', level: 2 },
      ],
      [{ code: 'U', parent: 'M', level: 1 }],
    ]);
  });

  it.each([
    ['code,parent,level\nC,,3\nU,C,4\n', 'bad_layer', 3, 'level "4" of U'],
    ['C,,3\nU,C\n', 'bad_row', 2, '2 column(s)'],
    ['C,,3\n,C,1\n', 'bad_row', 2, 'code is empty'],
  ])('names the bad line: %j', async (input, reason, line, detail) => {
    const err = await flat(readRelationCsv(csv(input))).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RelationFileError);
    expect(err).toMatchObject({ reason, line });
    expect((err as RelationFileError).detail).toContain(detail);
  });
});
