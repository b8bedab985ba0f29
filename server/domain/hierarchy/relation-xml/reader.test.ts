import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readRelationXml } from './reader.js';
import { chunked, collect, flat } from './test-helpers.js';
import { RelationFileError } from './types.js';

const FIXTURE = new URL('../../../../test/fixtures/relations/case-1-5-10.xml', import.meta.url);
const CASE = '81000030000000019999';

const fromString = (s: string): Readable => Readable.from([Buffer.from(s, 'utf8')]);
const doc = (body: string, version = 'Version="3.0"'): string =>
  `<?xml version="1.0"?>\n<Document>\n<Events ${version}>\n<Event Name="RelationCreate">\n<Relation productCode="P">\n<Batch batchNo="B">\n${body}\n</Batch>\n</Relation>\n</Event>\n</Events>\n</Document>\n`;

async function failure(xml: string | Buffer): Promise<RelationFileError> {
  const input = typeof xml === 'string' ? fromString(xml) : Readable.from([xml]);
  try {
    await flat(readRelationXml(input));
  } catch (err) {
    if (err instanceof RelationFileError) return err;
    throw err;
  }
  throw new Error('no error raised');
}

describe('readRelationXml: the 码上放心 relation XML v3.0', () => {
  it('reads the 1:5:10 fixture whatever the attribute-name case', async () => {
    const recs = await flat(readRelationXml(chunked(readFileSync(FIXTURE), 64 * 1024)));
    expect(recs).toHaveLength(16);
    expect(recs.filter((r) => r.level === 3)).toEqual([expect.objectContaining({ code: CASE, flag: '0' })]);
    expect(recs[0]).not.toHaveProperty('parent'); // parentCode="" on the top code
    const middles = recs.filter((r) => r.level === 2);
    expect(middles).toHaveLength(5);
    expect(middles.every((m) => m.parent === CASE && m.flag === '0')).toBe(true);
    const units = recs.filter((r) => r.level === 1);
    expect(units).toHaveLength(10);
    for (const m of middles) expect(units.filter((u) => u.parent === m.code)).toHaveLength(2);
    expect(recs[3]).toEqual({
      code: '81000010000000129999',
      level: 1,
      parent: '81000020000000019999',
      relation: { productCode: '86900012000017', subTypeNo: '8100001', cascade: '3', packageSpec: '1:5:10', comment: '阿莫西林胶囊 0.25g&24粒' },
      batch: { batchNo: 'B20240601', madeDate: '2024-06-01', validateDate: '2026-05-31', workshop: '一车间', lineName: '包装线 2', lineManager: '张三' },
    });
  });

  it('gives the same records when chunks split tags and multi-byte characters', async () => {
    const bytes = readFileSync(FIXTURE);
    expect(await flat(readRelationXml(chunked(bytes, 1)))).toEqual(await flat(readRelationXml(chunked(bytes, bytes.length))));
  });

  it('yields arrays of batchSize records', async () => {
    const sizes = (await collect(readRelationXml(chunked(readFileSync(FIXTURE), 7), { batchSize: 5 }))).map((b) => b.length);
    expect(sizes).toEqual([5, 5, 5, 1]);
  });

  it('reads a GBK file declared as such', async () => {
    const head = Buffer.from('<?xml version="1.0" encoding="GBK"?><Document><Events Version="3.0"><Event Name="RelationCreate"><Relation><Batch lineManager="', 'latin1');
    const tail = Buffer.from('"><Code curCode="X1" packLayer="1"/></Batch></Relation></Event></Events></Document>', 'latin1');
    const recs = await flat(readRelationXml(Readable.from([Buffer.concat([head, Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]), tail])])));
    expect(recs).toEqual([{ code: 'X1', level: 1, batch: { lineManager: '张三' } }]);
  });

  it('accepts an empty relation file (no codes)', async () => {
    expect(await flat(readRelationXml(fromString(doc(''))))).toEqual([]);
  });
});

describe('readRelationXml: malformed files name line, column and the problem', () => {
  it.each([
    ['bad layer', doc('<Code curCode="X1" packLayer="4"/>'), 'bad_layer', 7, 'packLayer="4" of X1 is not 1, 2 or 3'],
    ['layer not a number', doc('<Code curCode="X1" packLayer="case"/>'), 'bad_layer', 7, 'packLayer="case"'],
    ['missing curCode', doc('<Code packLayer="1" parentCode="C"/>'), 'missing_attribute', 7, 'no curCode'],
    ['empty curCode', doc('<Code curCode=" " packLayer="1"/>'), 'missing_attribute', 7, 'no curCode'],
    ['missing packLayer', doc('<Code curCode="X1"/>'), 'missing_attribute', 7, 'no packLayer'],
    ['unknown version', doc('', 'Version="2.0"'), 'unknown_version', 3, 'Version "2.0"'],
    ['missing version', doc('', 'Name="x"'), 'unknown_version', 3, 'no Version'],
    ['other event', doc('').replace('RelationCreate', 'CodeActive'), 'unsupported_event', 4, 'CodeActive'],
    ['impossible date', doc('').replace('batchNo="B"', 'madeDate="2024-02-30"'), 'invalid_date', 6, 'madeDate="2024-02-30"'],
    ['date in another format', doc('').replace('batchNo="B"', 'validateDate="2026/05/31"'), 'invalid_date', 6, 'yyyy-MM-dd'],
    ['code outside a batch', doc('').replace('<Batch batchNo="B">', '<Code curCode="X" packLayer="1"/><Batch>'), 'misplaced_element', 6, '<Code> inside <relation>'],
    ['wrong root', '<Relations><Events Version="3.0"/></Relations>', 'not_relation_document', 1, '<Relations>'],
    ['no Events', '<Document></Document>', 'not_relation_document', 1, 'no <Events'],
    ['unclosed tag', doc('<Code curCode="X1" packLayer="1">'), 'xml_syntax', 8, 'unexpected close tag'],
    ['broken attribute', doc('<Code curCode=X1 packLayer="1"/>'), 'xml_syntax', 7, 'unquoted'],
  ])('%s', async (_name, xml, reason, line, detail) => {
    const err = await failure(xml);
    expect(err.reason).toBe(reason);
    expect(err.line).toBe(line);
    expect(err.column).toBeGreaterThanOrEqual(1);
    expect(err.detail).toContain(detail);
    expect(err.message).toMatch(new RegExp(`^line ${line}, column \\d+: `));
    expect(err.localized['zh-CN']).toContain(`第 ${line} 行`);
  });

  it('reports the column of the offending tag', async () => {
    const err = await failure(doc('  <Code curCode="X1" packLayer="9"/>'));
    expect([err.line, err.column]).toEqual([7, 3]);
    const other = await failure(doc('<Code curCode="X1" packLayer="1"/><Code/>'));
    expect([other.line, other.column, other.reason]).toEqual([7, 35, 'missing_attribute']);
  });

  it('rejects bytes that are not UTF-8', async () => {
    const [before, after] = doc('<Code curCode="X1" packLayer="1" flag="@"/>').split('@') as [string, string];
    const bytes = Buffer.concat([Buffer.from(before), Buffer.from([0xff, 0xfe]), Buffer.from(after)]);
    const err = await failure(bytes);
    expect([err.reason, err.line]).toEqual(['invalid_encoding', 7]);
    expect(err.detail).toContain('not valid utf-8');
    const gb = await failure(Buffer.from('<?xml version="1.0" encoding="klingon"?><Document/>'));
    expect([gb.reason, gb.detail]).toEqual(['invalid_encoding', 'unknown encoding "klingon" in the XML declaration']);
  });
});
