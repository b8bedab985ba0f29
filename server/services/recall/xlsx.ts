import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { RECALL_STATUSES, type RecallCounterpartyLine, type RecallRowView, type RecallScopeView, type RecallSummaryView } from '../../contract/recall.js';
import { chinaDateTime } from '../../domain/china-time.js';
import { both, DIRECTION_LABELS, DOCUMENT_STATUS_LABELS, documentTypeLabel, ORIGIN_LABELS, STATUS_LABELS } from './labels.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface RecallWorkbook {
  unit: { name: string; uscc: string };
  scope: RecallScopeView;
  generatedAt: number;
  summary: RecallSummaryView;
  counterparties: RecallCounterpartyLine[];
  /** The units, a page at a time: the file is streamed, never built in memory. */
  units: AsyncIterable<RecallRowView[]>;
}

const time = (at: number | null) => (at === null ? '' : chinaDateTime(at));
// Codes are text: typed over in a General column Excel would turn a trace code into 8.1E+19.
const TEXT = { numFmt: '@' };

type Column = { header: string; width: number; value: (r: RecallRowView) => string };

function originText(r: RecallRowView): string {
  if (r.origin.kind === 'received') return r.origin.counterparty?.name ?? '';
  return both(ORIGIN_LABELS[r.origin.kind]) + (r.origin.importFile ? ` ${r.origin.importFile}` : '');
}

// Every column costs exceljs a few microseconds per row: one column per question a caller asks.
const UNIT_COLUMNS: Column[] = [
  { header: '追溯码 Code', width: 26, value: (r) => r.code },
  { header: '状态 Status', width: 16, value: (r) => both(STATUS_LABELS[r.status]) },
  { header: '时间 Since', width: 20, value: (r) => time(r.since) },
  { header: '批号 Batch', width: 14, value: (r) => r.batch ?? '' },
  { header: '有效期 Expiry', width: 12, value: (r) => r.expiry ?? '' },
  { header: '所在箱 Case', width: 24, value: (r) => r.outerCase ?? r.parent ?? '' },
  { header: '单据/零售单号 Document / sale', width: 20, value: (r) => r.document?.number ?? r.sale?.number ?? '' },
  { header: '往来单位 Counterparty', width: 28, value: (r) => r.counterparty?.name ?? '' },
  { header: '统一社会信用代码 USCC', width: 22, value: (r) => r.counterparty?.uscc ?? '' },
  { header: '锁定原因 Lock reason', width: 20, value: (r) => r.reason ?? '' },
  { header: '来源 Came from', width: 28, value: originText },
  { header: '收货单号 Receipt', width: 18, value: (r) => r.origin.document?.number ?? '' },
  { header: '收货时间 Received', width: 20, value: (r) => time(r.origin.at) },
  { header: '最近退回入库 Returned in', width: 34, value: (r) => (r.lastReceipt ? `${r.lastReceipt.document.number} ${r.lastReceipt.counterparty?.name ?? ''} ${time(r.lastReceipt.at)}`.trim() : '') },
];
// A pasted list may mix products; a batch names its product once, on the summary sheet.
const PRODUCT_COLUMN: Column = { header: '药品 Product', width: 26, value: (r) => r.product?.name ?? '' };

function scopeText(s: RecallScopeView): string {
  if (s.kind === 'batch') return `${s.product.name}（${s.product.code}${s.product.spec ? ' ' + s.product.spec : ''}）批号 Batch ${s.batch}`;
  return `粘贴的追溯码 Listed codes: ${s.listed}${s.unreadableCount ? `，无法识别 unreadable: ${s.unreadableCount}` : ''}`;
}

/**
 * The recall report as XLSX, streamed with exceljs's WorkbookWriter: summary, then every unit
 * (committed row by row as pages arrive), then the call list per counterparty and document.
 */
export async function writeRecallXlsx(out: Writable, w: RecallWorkbook): Promise<number> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  wb.creator = 'TraceDock';

  const sum = wb.addWorksheet('汇总 Summary');
  sum.columns = [{ width: 34 }, { width: 60 }, { width: 40 }];
  const add = (ws: ExcelJS.Worksheet, values: Array<string | number>, bold = false) => {
    const row = ws.addRow(values);
    if (bold) row.font = { bold: true };
    row.commit();
  };
  add(sum, ['召回报告 Recall report'], true);
  add(sum, ['单位 Unit', `${w.unit.name} ${w.unit.uscc}`.trim()]);
  add(sum, ['范围 Scope', scopeText(w.scope)]);
  add(sum, ['生成时间 Generated', time(w.generatedAt)]);
  add(sum, []);
  add(sum, ['状态 Status', '件数 Units'], true);
  for (const s of RECALL_STATUSES) if (w.summary.byStatus[s] > 0 || !s.startsWith('not_')) add(sum, [both(STATUS_LABELS[s]), w.summary.byStatus[s]]);
  add(sum, ['合计 Total', w.summary.units], true);
  add(sum, []);
  add(sum, ['零售销售笔数 Retail sales', w.summary.sales]);
  add(sum, ['需通知的收货单位 Customers to call', w.summary.customers]);
  add(sum, ['供货单位 Suppliers', w.summary.suppliers]);
  for (const k of ['received', 'made', 'unknown'] as const) add(sum, [`${both(ORIGIN_LABELS[k])}`, w.summary.origins[k]]);
  if (w.scope.kind === 'codes' && w.scope.unreadable.length > 0) {
    add(sum, []);
    add(sum, ['无法识别的行 Unreadable lines', '内容 Text', '原因 Reason'], true);
    for (const u of w.scope.unreadable) add(sum, [`${u.line}`, u.text, both(u.reason)]);
  }
  sum.commit();

  const columns = w.scope.kind === 'codes' ? [UNIT_COLUMNS[0]!, PRODUCT_COLUMN, ...UNIT_COLUMNS.slice(1)] : UNIT_COLUMNS;
  const units = wb.addWorksheet('明细 Units', { views: [{ state: 'frozen', ySplit: 1 }] });
  // Codes travel as text cells, so Excel shows them whole; no per-cell text format (it triples the time).
  units.columns = columns.map((c) => ({ width: c.width }));
  add(units, columns.map((c) => c.header), true);
  let written = 0;
  for await (const page of w.units) {
    for (const r of page) units.addRow(columns.map((c) => c.value(r))).commit();
    written += page.length;
  }
  units.commit();

  const cps = wb.addWorksheet('往来单位 Counterparties', { views: [{ state: 'frozen', ySplit: 1 }] });
  cps.columns = [{ width: 18 }, { width: 30 }, { width: 22, style: TEXT }, { width: 18, style: TEXT }, { width: 16 }, { width: 12 }, { width: 20 }, { width: 18 }, { width: 10 }];
  add(cps, ['方向 Direction', '往来单位 Counterparty', '统一社会信用代码 USCC', '单据号 Document', '单据类型 Type', '单据状态 State', '日期 Date', '状态 Status', '件数 Units'], true);
  for (const l of w.counterparties) {
    add(cps, [
      both(DIRECTION_LABELS[l.direction]),
      l.counterparty.name,
      l.counterparty.uscc,
      l.document.number,
      both(documentTypeLabel(l.document.direction, l.document.type)),
      both(DOCUMENT_STATUS_LABELS[l.document.status]),
      time(l.at),
      l.status ? both(STATUS_LABELS[l.status]) : '',
      l.units,
    ]);
  }
  cps.commit();
  await wb.commit();
  return written;
}
