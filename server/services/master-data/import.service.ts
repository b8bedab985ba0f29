import fs from 'node:fs';
import type { Readable } from 'node:stream';
import type { Knex } from 'knex';
import { withWriteTx } from '../../../db/repositories/tx.js';
import type { ProductsOutbox } from './products.service.js';
import { importQuery, type ImportKind, type ImportQuery, type ImportReport } from '../../contract/master-data.js';
import type { Lang } from '../../contract/views.js';
import { parseOr400 } from '../../validate.js';
import type { AuthService, SessionContext } from '../auth.service.js';
import { LocalizedAppError } from '../localized-error.js';
import { mapHeader } from './columns.js';
import type { ImportSpec } from './import-spec.js';
import type { DataRow, ImportReports } from './report-store.js';
import { fileInvalid, readTable } from './table.js';
import { receiveToFile, tooLarge } from './upload.js';

export interface ImportLimits {
  maxBytes: number;
  maxRows: number;
}

export interface ImportOutcome {
  report: ImportReport;
  /** Mode `all` with errors: nothing was written; the route answers 422 IMPORT_HAS_ERRORS. */
  rejected: boolean;
}

const MAX_JSON_ERRORS = 1000;

/**
 * Master-data file import (CSV or XLSX, 主数据导入). Every row is checked before anything is
 * written; the writes are set-based and share one transaction, so an import lands whole
 * (`all`), or lands exactly its good rows (`valid-only`), or not at all.
 */
export class ImportService {
  constructor(
    private readonly knex: Knex,
    private readonly auth: AuthService,
    private readonly specs: { [K in ImportKind]: ImportSpec<unknown> },
    private readonly reports: ImportReports,
    private readonly tmpDir: string,
    private readonly limits: ImportLimits,
    private readonly now: () => number = Date.now,
    private readonly outbox?: ProductsOutbox,
  ) {}

  async run(ctx: SessionContext, kind: ImportKind, body: Readable, query: ImportQuery, opts: { lang: Lang; contentLength?: number }): Promise<ImportOutcome> {
    const { unitId } = await this.auth.authorize(ctx, 'masterdata');
    const q = parseOr400(importQuery, query);
    if (opts.contentLength !== undefined && opts.contentLength > this.limits.maxBytes) throw tooLarge(this.limits.maxBytes);
    const file = await receiveToFile(body, this.tmpDir, this.limits.maxBytes);
    try {
      const spec = this.specs[kind];
      const { header, rows } = await this.collect(file, q.format);
      const mapped = mapHeader(header.cells, spec.columns);
      if ('error' in mapped) throw fileInvalid(mapped.error);
      const { map } = mapped;
      const { items, errors } = spec.prepare(rows, map);
      const now = this.now();
      const imported = await withWriteTx(this.knex, async (trx) => {
        errors.push(...(await spec.conflicts(trx, items, map)));
        const bad = new Set(errors.map((e) => e.row));
        if (q.mode === 'all' && bad.size) return 0;
        const good = items.filter((i) => !bad.has(i.record));
        await spec.write(trx, good, { unitId, operatorId: ctx.operatorId, now, present: new Set(map.labels.keys()) });
        // Every product the import wrote carries this instant as its updated_at.
        if (kind === 'products' && good.length) await this.outbox?.productsChanged(trx, unitId, { updatedAt: now }, now);
        return good.length;
      });
      if (imported) this.outbox?.wake();
      errors.sort((a, b) => a.row - b.row);
      const reportId = errors.length ? await this.reports.save(unitId, kind, header, rows, errors, opts.lang) : null;
      const report: ImportReport = {
        kind,
        mode: q.mode,
        total: rows.length,
        imported,
        errorRows: new Set(errors.map((e) => e.row)).size,
        errors: errors.slice(0, MAX_JSON_ERRORS),
        errorsTruncated: errors.length > MAX_JSON_ERRORS,
        reportId,
      };
      return { report, rejected: q.mode === 'all' && errors.length > 0 };
    } finally {
      await fs.promises.rm(file, { force: true });
    }
  }

  /** Header = the first non-blank row; blank rows are skipped and do not count. */
  private async collect(file: string, declared: 'csv' | 'xlsx' | undefined): Promise<{ header: DataRow; rows: DataRow[] }> {
    let header: DataRow | undefined;
    const rows: DataRow[] = [];
    for await (const r of await readTable(file, declared)) {
      if (r.cells.every((c) => c.trim() === '')) continue;
      if (!header) header = r;
      else if (rows.push(r) > this.limits.maxRows) throw tooManyRows(this.limits.maxRows);
    }
    if (!header) throw fileInvalid({ 'zh-CN': '文件是空的', en: 'The file is empty' });
    if (!rows.length) throw fileInvalid({ 'zh-CN': '文件只有表头，没有数据行', en: 'The file has a header but no data rows' });
    return { header, rows };
  }
}

const tooManyRows = (max: number) =>
  new LocalizedAppError('IMPORT_TOO_LARGE', 413, { 'zh-CN': `导入文件超过 ${max} 行，请拆分后分批导入`, en: `The file has more than ${max} rows — split it and import the parts` });
