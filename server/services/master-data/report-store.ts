import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { ImportKind, ImportRowError } from '../../contract/master-data.js';
import type { Lang } from '../../contract/views.js';
import { AppError } from '../app-error.js';
import { REASON_HEADER } from './columns.js';

export interface DataRow {
  /** Row number in the uploaded file (header = the first non-blank row). */
  record: number;
  cells: string[];
}

interface StoredReport {
  file: string;
  unitId: number;
  kind: ImportKind;
  expiresAt: number;
}

/**
 * Downloadable error reports (the NHSA portal's 错误报告, DOMAIN.md §6): the uploaded rows as they
 * were, with a 原因/Reason column filled on the bad ones, so the user fixes the cells in place and
 * uploads the same file again. Kept on disk under the data directory for `ttlMs`, visible only to
 * the unit that imported (a counterparty list is that unit's business).
 */
export class ImportReports {
  private readonly reports = new Map<string, StoredReport>();
  private swept = false;

  constructor(
    private readonly dir: string,
    private readonly ttlMs = 24 * 3600_000,
    private readonly now: () => number = Date.now,
  ) {}

  async save(unitId: number, kind: ImportKind, header: DataRow, rows: readonly DataRow[], errors: readonly ImportRowError[], lang: Lang): Promise<string> {
    await this.sweep();
    const id = crypto.randomUUID();
    const file = path.join(this.dir, `${id}.xlsx`);
    await writeReport(file, header, rows, errors, lang);
    this.reports.set(id, { file, unitId, kind, expiresAt: this.now() + this.ttlMs });
    return id;
  }

  resolve(unitId: number, id: string): { file: string; downloadName: string } {
    const r = this.reports.get(id);
    if (!r || r.unitId !== unitId || r.expiresAt < this.now() || !fs.existsSync(r.file)) throw new AppError('IMPORT_REPORT_NOT_FOUND', 404);
    return { file: r.file, downloadName: `${r.kind}-import-errors.xlsx` };
  }

  /** Expired reports go; so do files a previous process left behind (their ids died with it). */
  private async sweep(): Promise<void> {
    await fs.promises.mkdir(this.dir, { recursive: true });
    const now = this.now();
    for (const [id, r] of this.reports) {
      if (r.expiresAt >= now) continue;
      this.reports.delete(id);
      await fs.promises.rm(r.file, { force: true });
    }
    if (this.swept) return;
    this.swept = true;
    for (const name of await fs.promises.readdir(this.dir)) if (name.endsWith('.xlsx')) await fs.promises.rm(path.join(this.dir, name), { force: true });
  }
}

async function writeReport(file: string, header: DataRow, rows: readonly DataRow[], errors: readonly ImportRowError[], lang: Lang): Promise<void> {
  const reasons = new Map<number, string[]>();
  for (const e of errors) reasons.set(e.row, [...(reasons.get(e.row) ?? []), `${e.column ? e.column + (lang === 'en' ? ': ' : '：') : ''}${e.reason[lang]}`]);
  // A corrected report uploaded again already has the column: reuse it rather than add a second.
  const existing = header.cells.indexOf(REASON_HEADER);
  const width = rows.reduce((w, r) => Math.max(w, r.cells.length), header.cells.length);
  const at = existing >= 0 ? existing : width;

  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(lang === 'en' ? 'Import result' : '导入结果');
  ws.columns = Array.from({ length: Math.max(width, at + 1) }, (_, i) => ({ width: i === at ? 60 : 18 }));
  const put = (record: number, cells: readonly string[], reason: string | null, isHeader = false) => {
    const values = [...cells];
    values[at] = reason ?? '';
    const row = ws.getRow(record);
    row.values = values.map((v) => v ?? '');
    if (isHeader) row.font = { bold: true };
    if (reason && !isHeader) {
      row.getCell(at + 1).font = { color: { argb: 'FFC00000' }, bold: true };
      row.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFE0E0' } };
    }
    row.commit();
  };
  put(header.record, header.cells, REASON_HEADER, true);
  for (const r of rows) put(r.record, r.cells, reasons.get(r.record)?.join(lang === 'en' ? '; ' : '；') ?? null);
  ws.commit();
  await wb.commit();
}
