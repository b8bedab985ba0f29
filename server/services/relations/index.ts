import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Knex } from 'knex';
import { RelationExportRepository } from '../../../db/repositories/relation-export.repository.js';
import { RelationImportRepository, type RelationImportRow } from '../../../db/repositories/relation-import.repository.js';
import type { RelationFormat, RelationImportErrorView, RelationImportResultView, RelationImportView } from '../../contract/relations.js';
import { AppError } from '../app-error.js';
import { LocalizedAppError } from '../localized-error.js';
import { interruptedView } from './errors.js';
import { exportStream } from './export.js';
import { runImport, type ImportMeta, type ProgressListener } from './import-run.js';

export { RelationImportError } from './errors.js';
export type { ImportMeta, ImportProgress, ProgressListener } from './import-run.js';

export interface RelationServiceDeps {
  knex: Knex;
  /** The data directory; SQLite staging files go to its tmp/. */
  dataDir: string;
  now?: () => number;
  /** Records per staging statement (default 5 000, the reader's default). */
  batchSize?: number;
  /** A manufacturer owes the platform its new codes with their hierarchy (追溯码信息上传). */
  outbox?: { hierarchyImported(trx: Knex.Transaction, unitId: number, importId: number, at: number): Promise<void>; wake(): void };
}

const PER_RULE = 10;

/** Package-relation files in and out of the stored hierarchy (issue 5). */
export class RelationService {
  private readonly imports: RelationImportRepository;
  private readonly exports: RelationExportRepository;
  private readonly now: () => number;
  // One import at a time: a million-code file already keeps a core and the writer busy. A second
  // is refused rather than queued, so a stalled upload can never hold later ones hostage.
  private running = false;
  private recovered: Promise<unknown> | undefined;

  constructor(private readonly d: RelationServiceDeps) {
    this.imports = new RelationImportRepository(d.knex, path.join(d.dataDir, 'tmp'));
    this.exports = new RelationExportRepository(d.knex);
    this.now = d.now ?? Date.now;
  }

  /**
   * Refuses the whole file (RelationImportError) on the first unreadable part or any broken rule;
   * RELATION_IMPORT_BUSY (nothing recorded) while another import runs.
   */
  async import(input: Readable, meta: ImportMeta, onProgress?: ProgressListener): Promise<RelationImportResultView> {
    if (this.running) throw new AppError('RELATION_IMPORT_BUSY', 409);
    this.running = true;
    try {
      await this.recover();
      const outbox = this.d.outbox;
      const afterMerge = outbox && meta.unitId !== null ? (trx: Knex.Transaction, importId: number, at: number) => outbox.hierarchyImported(trx, meta.unitId!, importId, at) : undefined;
      const result = await runImport(this.imports, input, meta, { now: this.now, onProgress, batchSize: this.d.batchSize ?? 5000, progressEvery: 100_000, perRule: PER_RULE, afterMerge });
      outbox?.wake();
      return result;
    } finally {
      this.running = false;
    }
  }

  async list(unitId: number, before: number | undefined, limit: number): Promise<RelationImportView[]> {
    await this.recover();
    return (await this.imports.list(unitId, before, limit)).map(toView);
  }

  async get(unitId: number, id: number): Promise<RelationImportView> {
    await this.recover();
    const row = await this.imports.get(id);
    if (!row || row.unitId !== unitId) throw new AppError('RELATION_IMPORT_NOT_FOUND', 404);
    return toView(row);
  }

  /**
   * A relation XML stream of whole trees under `roots` (a root inside another root's tree is
   * exported once), or of the packs one import created. Checks first, so a bad request gets an
   * error instead of half a file.
   */
  async export(unitId: number, target: { roots: string[] } | { importId: number }): Promise<{ fileName: string; stream: Readable }> {
    if ('importId' in target) {
      const row = await this.get(unitId, target.importId);
      if (row.status !== 'done') throw new AppError('RELATION_IMPORT_NOT_DONE', 409);
      return { fileName: `relations-import-${row.id}.xml`, stream: exportStream(this.exports, target) };
    }
    const missing = await this.exports.missing(target.roots);
    if (missing.length > 0) {
      const list = missing.slice(0, PER_RULE).join(', ');
      throw new LocalizedAppError('RELATION_EXPORT_NOT_FOUND', 404, {
        'zh-CN': `以下追溯码未登记包装关系：${list}${missing.length > PER_RULE ? ` 等 ${missing.length} 个` : ''}`,
        en: `No stored package relation for: ${list}${missing.length > PER_RULE ? ` and ${missing.length - PER_RULE} more` : ''}`,
      });
    }
    const nested = new Set(await this.exports.nested(target.roots));
    const roots = target.roots.filter((r) => !nested.has(r));
    return { fileName: `relations-${roots[0]}${roots.length > 1 ? `-and-${roots.length - 1}-more` : ''}.xml`, stream: exportStream(this.exports, { roots }) };
  }

  /** Imports a crash left `running` are failed once, before anything reads or adds imports. */
  private recover(): Promise<unknown> {
    return (this.recovered ??= this.imports.recoverInterrupted(JSON.stringify(interruptedView()), this.now()).catch((err: unknown) => {
      this.recovered = undefined; // try again next time rather than fail every call for good
      throw err;
    }));
  }
}

function toView(r: RelationImportRow): RelationImportView {
  return {
    id: r.id,
    unitId: r.unitId,
    operatorId: r.operatorId,
    fileName: r.fileName,
    format: r.format as RelationFormat,
    status: r.status,
    records: r.records,
    error: r.error ? (JSON.parse(r.error) as RelationImportErrorView) : null,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
  };
}
