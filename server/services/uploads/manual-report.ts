import fs from 'node:fs';
import type { Readable } from 'node:stream';
import type { Localized } from '../../contract/views.js';
import { foldWidth } from '../../domain/codes/index.js';
import { FIELD_LABELS, RECORD_COLUMN } from '../../platforms/nhsa/labels.js';
import type { JsonValue } from '../../platforms/nhsa/param.js';
import type { ProfileField, UploadOperationProfile } from '../../platforms/nhsa/profile.schema.js';
import { LocalizedAppError, type LocalizedIssue } from '../localized-error.js';
import { readTable } from '../master-data/table.js';
import { receiveToFile } from '../master-data/upload.js';

/**
 * The portal's error report (网页上传 → 下载错误报告) for a manual-upload file we exported: which
 * rows the portal refused and why. The report is the uploaded file with a reason column, or a list
 * of the refused keys with their reasons, maybe under a title line; columns are found by name.
 */

const MAX_BYTES = 20 * 1024 * 1024;
/** The header must be within the first rows (a title or a note may come before it). */
const HEADER_SEARCH_ROWS = 20;
const NO_REASON = '平台错误报告未注明原因';

// Headers are written by people and by the portal: width, case, spaces, * and _ carry no meaning.
const norm = (s: string) => foldWidth(s).toLowerCase().replace(/[\s*_\-.:：]/g, '');
const tokens = (s: string) => foldWidth(s).split(/[\s/|（()）\\]+/).map(norm).filter(Boolean);
/** 错误原因 / 错误信息 / 失败原因 / 校验结果 … and what an English portal or our own reports call it. */
const REASON = /(错误原因|错误信息|错误描述|错误提示|失败原因|失败信息|校验结果|校验信息|原因|^error|errmsg|errormessage|reason|^message$)/;
const RECORD_NAMES = new Set([RECORD_COLUMN.zh, RECORD_COLUMN.en, 'recordid', '记录id', '记录编号'].map(norm));

export interface ReportRow {
  /** Row number in the file, as a spreadsheet shows it. */
  row: number;
  /** Our record id from the 记录号 column; NaN when the cell holds something else. */
  recordId?: number;
  /** The operation's record key (the trace code …) as written. */
  key?: string;
  /** Other columns of the operation present in the report, platform name → value as written. */
  fields: Map<string, string>;
  reason: string;
}

interface Columns {
  record?: number;
  key?: number;
  reasons: number[];
  /** Column index → platform field name, every recognised field column (the key's included). */
  fields: Map<number, ProfileField>;
}

export const reportInvalid = (reason: Localized, issues: LocalizedIssue[] = []) =>
  new LocalizedAppError('UPLOAD_REPORT_INVALID', 400, { 'zh-CN': `错误报告文件无法导入：${reason['zh-CN']}`, en: `The error report cannot be imported: ${reason.en}` }, issues);

/** The operation's key field: the item field whose source is the recordKey (the profile guarantees one). */
export const keyFieldOf = (op: UploadOperationProfile): ProfileField => op.item.find((f) => f.source === op.recordKey)!;

/** Which platform field a header cell names: its platform name, label or canonical name, alone or in `追溯码 drug_trac_codg`. */
function fieldLookup(op: UploadOperationProfile): (cell: string) => ProfileField | undefined {
  const keyField = keyFieldOf(op);
  const lookup = new Map<string, ProfileField[]>();
  const add = (name: string, f: ProfileField) => {
    const k = norm(name);
    const list = lookup.get(k) ?? [];
    if (!list.includes(f)) list.push(f);
    lookup.set(k, list);
  };
  for (const f of [...op.header, ...op.item]) {
    for (const name of [f.name, f.source, FIELD_LABELS[f.source].zh, FIELD_LABELS[f.source].en, `${FIELD_LABELS[f.source].zh}${f.name}`]) add(name, f);
  }
  // Two fields from one source share a label: the key field wins, otherwise the label names none.
  const one = (list: ProfileField[] | undefined) => (!list ? undefined : list.length === 1 ? list[0] : list.includes(keyField) ? keyField : undefined);
  return (cell) => {
    const whole = one(lookup.get(norm(cell)));
    if (whole) return whole;
    const hits = new Set(tokens(cell).map((t) => one(lookup.get(t))).filter((f): f is ProfileField => f !== undefined));
    return hits.size === 1 ? [...hits][0] : undefined;
  };
}

function columnsOf(cells: readonly string[], op: UploadOperationProfile, field: (cell: string) => ProfileField | undefined): Columns {
  const keyField = keyFieldOf(op);
  const c: Columns = { reasons: [], fields: new Map() };
  for (const [i, cell] of cells.entries()) {
    if (norm(cell) === '') continue;
    if (RECORD_NAMES.has(norm(cell)) || tokens(cell).some((t) => RECORD_NAMES.has(t))) {
      c.record ??= i;
      continue;
    }
    const f = field(cell);
    if (f) {
      if (!c.fields.has(i) && ![...c.fields.values()].includes(f)) c.fields.set(i, f);
      if (f === keyField) c.key ??= i;
      continue;
    }
    if (REASON.test(norm(cell))) c.reasons.push(i);
  }
  return c;
}

/**
 * Reads the report: finds the header row (the first with a key column — 记录号 or the record key —
 * and a reason column), then one entry per non-blank row. Nothing is matched here.
 */
export async function readErrorReport(src: Readable, tmpDir: string, format: 'csv' | 'xlsx' | undefined, op: UploadOperationProfile): Promise<ReportRow[]> {
  const file = await receiveToFile(src, tmpDir, MAX_BYTES);
  const field = fieldLookup(op);
  const keyField = keyFieldOf(op);
  const keyName = `${RECORD_COLUMN.zh} / ${FIELD_LABELS[keyField.source].zh} ${keyField.name}`;
  try {
    let cols: Columns | undefined;
    let keyOnly = false;
    let seen = 0;
    const rows: ReportRow[] = [];
    for await (const { record, cells } of await asReportTable(file, format)) {
      if (!cols) {
        if (cells.every((c) => c.trim() === '')) continue;
        const c = columnsOf(cells, op, field);
        const hasKey = c.record !== undefined || c.key !== undefined;
        if (hasKey && c.reasons.length) cols = c;
        else if (hasKey) keyOnly = true;
        if (!cols && ++seen >= HEADER_SEARCH_ROWS) break;
        continue;
      }
      const at = (i: number | undefined) => (i === undefined ? '' : (cells[i] ?? '').trim());
      const recordText = at(cols.record);
      const key = foldWidth(at(cols.key)).replace(/\s+/g, '');
      const reasons = [...new Set(cols.reasons.map(at).filter(Boolean))];
      if (recordText === '' && key === '' && reasons.length === 0) continue;
      const fields = new Map<string, string>();
      for (const [i, f] of cols.fields) if (at(i) !== '') fields.set(f.name, at(i));
      rows.push({
        row: record,
        ...(recordText !== '' ? { recordId: /^\d+$/.test(recordText) ? Number(recordText) : NaN } : {}),
        ...(key !== '' ? { key } : {}),
        fields,
        reason: reasons.join('；') || NO_REASON,
      });
    }
    if (!cols && keyOnly) {
      throw reportInvalid({ 'zh-CN': '找不到错误原因列（如「错误原因」「错误信息」「失败原因」「校验结果」）', en: 'no reason column (such as 错误原因, 错误信息, 失败原因, 校验结果 or error)' });
    }
    if (!cols) throw reportInvalid({ 'zh-CN': `找不到表头：需要「${keyName}」列和「错误原因」列`, en: `no header row: a ${RECORD_COLUMN.en} or ${keyField.name} column and a reason column are needed` });
    // An empty report would accept the whole export: that is what 全部确认 is for, deliberately.
    if (rows.length === 0) throw reportInvalid({ 'zh-CN': '错误报告中没有任何数据行；若平台报告无错误，请使用「平台无错误，全部确认」', en: 'the report lists no rows; if the portal reported no errors, use “No errors — confirm all”' });
    return rows;
  } finally {
    await fs.promises.rm(file, { force: true });
  }
}

/** The master-data reader's errors (empty, damaged, old .xls) speak of an import file; here it is a report. */
async function* asReportTable(file: string, format: 'csv' | 'xlsx' | undefined): AsyncGenerator<{ record: number; cells: string[] }> {
  try {
    yield* await readTable(file, format);
  } catch (err) {
    if (err instanceof LocalizedAppError && err.code === 'IMPORT_FILE_INVALID') throw new LocalizedAppError('UPLOAD_REPORT_INVALID', 400, err.localized);
    throw err;
  }
}

export interface ExportedRecord {
  id: number;
  code: string | null;
  /** The platform-named values as the export file carries them (header and item fields). */
  values: Record<string, JsonValue>;
}

/**
 * Each report row → the record of this export it speaks of: by 记录号 when the row has one (a
 * code cell edited by hand does not matter then), else by the record key, narrowed by the other
 * columns the report repeats when one key stands for several records. A row that names no record
 * of the export refuses the whole report: the portal's answer is about some other file.
 */
export function matchReport(rows: readonly ReportRow[], records: readonly ExportedRecord[], op: UploadOperationProfile): Map<number, string> {
  const keyField = keyFieldOf(op);
  const byId = new Map(records.map((r) => [r.id, r]));
  const byKey = new Map<string, ExportedRecord[]>();
  for (const r of records) {
    const k = foldWidth(String(r.values[keyField.name] ?? r.code ?? '')).replace(/\s+/g, '');
    if (!k) continue;
    const list = byKey.get(k);
    if (list) list.push(r);
    else byKey.set(k, [r]);
  }
  const rejected = new Map<number, string[]>();
  const problems: LocalizedIssue[] = [];
  const bad = (row: number, zh: string, en: string) => problems.push({ path: `row ${row}`, messages: { 'zh-CN': `第 ${row} 行：${zh}`, en: `row ${row}: ${en}` } });
  for (const r of rows) {
    let hit: ExportedRecord | undefined;
    if (r.recordId !== undefined) {
      hit = byId.get(r.recordId);
      if (!hit) {
        bad(r.row, '记录号不属于本次导出', `record number is not part of this export`);
        continue;
      }
    } else if (r.key !== undefined) {
      let candidates = byKey.get(r.key) ?? [];
      if (candidates.length > 1) candidates = candidates.filter((c) => [...r.fields].every(([name, v]) => name === keyField.name || c.values[name] === undefined || String(c.values[name]) === v));
      if (candidates.length === 0) {
        bad(r.row, `${FIELD_LABELS[keyField.source].zh} ${r.key} 不在本次导出中`, `${keyField.name} ${r.key} is not in this export`);
        continue;
      }
      if (candidates.length > 1) {
        bad(r.row, `${FIELD_LABELS[keyField.source].zh} ${r.key} 对应本次导出的多条记录，请保留「${RECORD_COLUMN.zh}」列`, `${keyField.name} ${r.key} stands for several records of this export — keep the ${RECORD_COLUMN.en} column`);
        continue;
      }
      hit = candidates[0]!;
    } else {
      bad(r.row, '没有记录号或追溯码，无法对应记录', 'no record number or key, so no record to match');
      continue;
    }
    const reasons = rejected.get(hit.id) ?? [];
    if (!reasons.includes(r.reason)) reasons.push(r.reason);
    rejected.set(hit.id, reasons);
  }
  if (problems.length) {
    const shown = problems.slice(0, 10);
    const more = problems.length - shown.length;
    throw new LocalizedAppError(
      'UPLOAD_REPORT_INVALID',
      400,
      {
        'zh-CN': `错误报告中有 ${problems.length} 行不属于本次导出，未做任何更改：${shown.map((p) => p.messages['zh-CN']).join('；')}${more ? `；另有 ${more} 行` : ''}`,
        en: `${problems.length} row(s) of the report do not belong to this export; nothing was changed: ${shown.map((p) => p.messages.en).join('; ')}${more ? `; ${more} more` : ''}`,
      },
      problems.slice(0, 200),
    );
  }
  return new Map([...rejected].map(([id, reasons]) => [id, reasons.join('；')]));
}

/** Not an error report at all: refused before it is read (a JSON body is a client mistake). */
export const notAFile = () => reportInvalid({ 'zh-CN': '请直接上传错误报告文件本身（XLSX，或 CSV 并加 ?format=csv），而不是 JSON', en: 'send the report file itself as the body (XLSX, or CSV with ?format=csv), not JSON' });
