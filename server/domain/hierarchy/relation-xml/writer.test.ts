import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readRelationXml } from './reader.js';
import { chunked, flat, text } from './test-helpers.js';
import type { BatchInfo, RelationInfo, RelationRecord } from './types.js';
import { escapeAttr, relationXmlChunks } from './writer.js';

const FIXTURE = new URL('../../../../test/fixtures/relations/case-1-5-10.xml', import.meta.url);

async function roundTrip(batches: RelationRecord[][]): Promise<RelationRecord[]> {
  const xml = await text(relationXmlChunks(batches));
  return flat(readRelationXml(Readable.from([Buffer.from(xml)])));
}

describe('relationXmlChunks: export → import round-trips', () => {
  it('the hand-written fixture', async () => {
    const original = await flat(readRelationXml(chunked(readFileSync(FIXTURE), 4096)));
    expect(original).toHaveLength(16);
    expect(await roundTrip([original.slice(0, 7), original.slice(7)])).toEqual(original);
  });

  it('several products and batches, awkward characters, and records without header (from CSV)', async () => {
    const relA: RelationInfo = { productCode: 'A', packageSpec: '1:10', comment: 'a & b < c > "d"\n\tline 2 \'e\'' };
    const relB: RelationInfo = { productCode: 'B', cascade: '2' };
    const b1: BatchInfo = { batchNo: 'B1', madeDate: '2024-01-31', validateDate: '2026-01-30', workshop: '车间 & 线' };
    const b2: BatchInfo = { batchNo: 'B2' };
    const records: RelationRecord[] = [
      { code: 'C1', level: 2, relation: relA, batch: b1, flag: '0' },
      { code: 'U1', level: 1, parent: 'C1', relation: relA, batch: b1 },
      { code: 'U2', level: 1, parent: 'C1', relation: { ...relA }, batch: b2 },
      { code: 'X&1', level: 3, relation: relB, batch: b2 },
      { code: 'L1', level: 1 },
      { code: 'L2', level: 1, parent: 'X&1' },
    ];
    expect(await roundTrip([records.slice(0, 2), [], records.slice(2)])).toEqual(records);
  });

  it('groups codes under one <Relation>/<Batch> while the attributes stay the same', async () => {
    const rel: RelationInfo = { productCode: 'A' };
    const xml = await text(
      relationXmlChunks([
        [
          { code: '1', level: 1, relation: rel, batch: { batchNo: 'B1' } },
          { code: '2', level: 1, relation: { productCode: 'A' }, batch: { batchNo: 'B1' } },
          { code: '3', level: 1, relation: rel, batch: { batchNo: 'B2' } },
          { code: '4', level: 1, relation: { productCode: 'Z' }, batch: { batchNo: 'B2' } },
        ],
      ]),
    );
    expect(xml.match(/<Relation /g)).toHaveLength(2);
    expect(xml.match(/<Batch /g)).toHaveLength(3);
    expect(xml).toContain('<Events Version="3.0">');
    expect(xml).toContain('<Code curCode="1" packLayer="1"/>');
  });

  it('writes a well-formed empty document', async () => {
    expect(await roundTrip([])).toEqual([]);
  });

  it('escapes what would break an attribute', () => {
    expect(escapeAttr('a&b<"c">\n')).toBe('a&amp;b&lt;&quot;c&quot;&gt;&#10;');
  });
});
