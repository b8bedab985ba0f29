import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { readRelationXml } from './reader.js';
import { batch, code, generatedRelations, relation } from '../../../../scripts/bench/relation-file.js';
import type { RelationRecord } from './types.js';
import { relationXmlChunks } from './writer.js';

// Issue 5: one relation file may hold 1 000 000 codes and must be read streamed.
const CASES = 62_500; // × (1 case + 5 middles + 10 units) = 1 000 000 codes
const TOTAL = CASES * 16;
const MB = 1024 * 1024;

const generated = () => generatedRelations(CASES);

describe('relation XML with 1 000 000 codes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tracedock-relations-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is written and read back streamed, in bounded memory', async () => {
    const file = join(dir, 'million.xml');
    await pipeline(Readable.from(relationXmlChunks(generated())), createWriteStream(file));
    expect(statSync(file).size).toBeGreaterThan(80 * MB); // bigger than the memory bound below

    const base = process.memoryUsage().rss;
    let peak = base;
    const perLevel = [0, 0, 0, 0];
    let orphans = 0;
    let last: RelationRecord | undefined;
    let batches = 0;
    for await (const recs of readRelationXml(createReadStream(file, { highWaterMark: 256 * 1024 }))) {
      batches++;
      expect(recs.length).toBeLessThanOrEqual(5000);
      for (const r of recs) {
        perLevel[r.level]!++;
        if (r.level < 3 && r.parent === undefined) orphans++;
      }
      last = recs[recs.length - 1];
      if (batches % 20 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    peak = Math.max(peak, process.memoryUsage().rss);

    expect(perLevel).toEqual([0, CASES * 10, CASES * 5, CASES]);
    expect(orphans).toBe(0);
    expect(batches).toBe(TOTAL / 5000);
    expect(last).toEqual({ code: code(1, CASES * 10 - 1), level: 1, parent: code(2, CASES * 5 - 1), relation, batch });
    // A reader that kept every record grows by ~220 MB here (measured by retaining them); streamed it is ~30 MB.
    expect((peak - base) / MB).toBeLessThan(150);
  }, 60_000);
});
