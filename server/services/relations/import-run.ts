import type { Readable } from 'node:stream';
import type { Knex } from 'knex';
import type { RelationImportRepository, RelationStaging } from '../../../db/repositories/relation-import.repository.js';
import type { RelationFormat, RelationImportResultView } from '../../contract/relations.js';
import { readRelationCsv, readRelationXml } from '../../domain/hierarchy/relation-xml/index.js';
import { conflictError, simpleError, toImportError } from './errors.js';
import { RecordGrouper } from './records.js';
import { inSlices } from './slices.js';
import { WriteQueue } from './write-queue.js';
import { violationsOf } from './violations.js';

// Batches parsed ahead of the staging writer: enough to keep it busy through an uneven batch.
const QUEUE_DEPTH = 3;
const SLICE_BYTES = 32 * 1024;

export interface ImportMeta {
  fileName: string;
  format: RelationFormat;
  unitId: number | null;
  operatorId: number | null;
}

export interface ImportProgress {
  importId: number;
  phase: 'reading' | 'checking';
  records: number;
}

export type ProgressListener = (p: ImportProgress) => void;

export interface RunOptions {
  now: () => number;
  onProgress?: ProgressListener;
  /** Records per staging statement (the reader's batch). */
  batchSize: number;
  progressEvery: number;
  /** Offenders listed per rule in a refusal. */
  perRule: number;
  /** Runs inside the merge transaction once the file passed (uploads owed by the new packs). */
  afterMerge?: (trx: Knex.Transaction, importId: number, at: number) => Promise<void>;
}

/**
 * One relation file into the hierarchy: stage every code (one statement per batch, queued so the
 * database thread stores batches back to back while the main thread parses), then check and
 * merge in one write transaction.
 * Nothing reaches `packs` unless the whole file passes; the import row says why when it does not.
 */
export async function runImport(repo: RelationImportRepository, input: Readable, meta: ImportMeta, o: RunOptions): Promise<RelationImportResultView> {
  const started = o.now();
  const importId = await repo.create({ ...meta, startedAt: started });
  let staging: RelationStaging | undefined;
  let records = 0;
  const queue = new WriteQueue(QUEUE_DEPTH);
  try {
    staging = await repo.openStaging(importId);
    const stage = staging;
    const grouper = new RecordGrouper();
    const reader = meta.format === 'csv' ? readRelationCsv(input, { batchSize: o.batchSize }) : readRelationXml(inSlices(input, SLICE_BYTES), { batchSize: o.batchSize });
    let nextReport = o.progressEvery;
    for await (const recs of reader) {
      const batch = grouper.add(recs);
      const firstSeq = records + 1;
      records += recs.length;
      await queue.push(async () => {
        await stage.addGroups(batch.groups, batch.caps);
        await stage.addRows(batch.rows, firstSeq);
      });
      if (records >= nextReport) {
        o.onProgress?.({ importId, phase: 'reading', records });
        nextReport += o.progressEvery;
      }
    }
    await queue.drain();
    if (records === 0) throw simpleError(importId, 'RELATION_FILE_EMPTY');
    o.onProgress?.({ importId, phase: 'checking', records });
    const unique = await stage.finishLoading(records);
    const at = o.now();
    const outcome = await repo.commit(stage, importId, records, unique, o.perRule, at, o.afterMerge && ((trx) => o.afterMerge!(trx, importId, at)));
    if (!outcome.ok) {
      const { violations, total } = violationsOf(outcome.check);
      throw conflictError(importId, violations, total);
    }
    return { importId, records, parents: outcome.fill.parents, partialParents: outcome.fill.partial, durationMs: o.now() - started };
  } catch (err) {
    const e = toImportError(importId, err);
    await queue.drain().catch(() => {});
    await repo.fail(importId, records, JSON.stringify(e.view), o.now());
    if (e.code === 'INTERNAL') throw Object.assign(e, { cause: err });
    throw e;
  } finally {
    await queue.drain().catch(() => {});
    await staging?.drop().catch(() => {});
  }
}
