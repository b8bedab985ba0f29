import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { relationXmlChunks, type BatchInfo, type RelationInfo, type RelationRecord } from '../../server/domain/hierarchy/relation-xml/index.js';

export const relation: RelationInfo = { productCode: '86900012000017', cascade: '3', packageSpec: '1:5:10' };
export const batch: BatchInfo = { batchNo: 'B20240601', madeDate: '2024-06-01', validateDate: '2026-05-31' };
/** The generated code of the n-th pack of a level (1 unit … 3 case). */
export const code = (layer: number, n: number): string => `810000${layer}${String(n).padStart(13, '0')}`;

/**
 * A manufacturer's day of 1:5:10 packing: per case 1 case + 5 middles + 10 units = 16 codes, in
 * the order a packing line writes them (case, then each middle with its units), 5 000 per array.
 */
export function* generatedRelations(cases: number): Generator<RelationRecord[]> {
  let out: RelationRecord[] = [];
  for (let c = 0; c < cases; c++) {
    const caseCode = code(3, c);
    out.push({ code: caseCode, level: 3, relation, batch });
    for (let m = 0; m < 5; m++) {
      const mid = code(2, c * 5 + m);
      out.push({ code: mid, level: 2, parent: caseCode, relation, batch });
      for (let u = 0; u < 2; u++) out.push({ code: code(1, (c * 5 + m) * 2 + u), level: 1, parent: mid, relation, batch });
    }
    if (out.length >= 5000) {
      yield out;
      out = [];
    }
  }
  if (out.length > 0) yield out;
}

export async function writeRelationFile(file: string, cases: number): Promise<void> {
  await pipeline(Readable.from(relationXmlChunks(generatedRelations(cases))), fs.createWriteStream(file));
}
