import { Readable } from 'node:stream';
import type { PackExportRow, RelationExportRepository } from '../../../db/repositories/relation-export.repository.js';
import { isPackLevel } from '../../domain/hierarchy/index.js';
import { relationXmlChunks, type RelationRecord } from '../../domain/hierarchy/relation-xml/index.js';

/** Stored packs → relation records; attributes the hierarchy does not keep (workshop, line) are not invented. */
export function toRecord(r: PackExportRow): RelationRecord {
  if (!isPackLevel(r.level)) throw new Error(`pack ${r.code} has level ${r.level}`);
  const rec: RelationRecord = { code: r.code, level: r.level };
  if (r.parent) rec.parent = r.parent;
  if (r.productCode || r.ratio) rec.relation = { ...(r.productCode ? { productCode: r.productCode } : {}), ...(r.ratio ? { packageSpec: r.ratio } : {}) };
  if (r.batch || r.madeDate || r.expiry) {
    rec.batch = { ...(r.batch ? { batchNo: r.batch } : {}), ...(r.madeDate ? { madeDate: r.madeDate } : {}), ...(r.expiry ? { validateDate: r.expiry } : {}) };
  }
  return rec;
}

async function* records(pages: AsyncIterable<PackExportRow[]>): AsyncGenerator<RelationRecord[]> {
  for await (const page of pages) yield page.map(toRecord);
}

/** Relation XML v3.0, pulled page by page as the consumer reads (backpressure from the HTTP response). */
export function exportStream(repo: RelationExportRepository, target: { roots: string[] } | { importId: number }): Readable {
  const pages = 'roots' in target ? repo.treePages(target.roots) : repo.importPages(target.importId);
  return Readable.from(relationXmlChunks(records(pages)));
}
