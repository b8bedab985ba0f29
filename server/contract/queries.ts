import { z } from 'zod';
import type { CodeStateName } from './dock.js';

/**
 * Supervisor queries and exports (issue 8). A query names the unit's codes by code, product batch,
 * dates, document, counterparty, product or state; the same query drives a page on screen, a
 * streamed NDJSON answer and a background export, so the three always agree.
 */
export const CODE_STATES = ['receiving', 'in_stock', 'picking', 'shipped', 'returned', 'scrapped', 'locked', 'sold'] as const satisfies readonly CodeStateName[];
export const CODE_SORTS = ['code', 'updatedAt', 'state', 'batch', 'product', 'level'] as const;
export const EXPORT_FORMATS = ['csv', 'xlsx', 'epcis'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** The NHSA portal's limit per export (guide §四): a larger question is split by date or batch. */
export const EXPORT_MAX_CODES = 100_000;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const csv = (inner: z.ZodTypeAny) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v), z.array(inner).min(1));

/** The filter part, shared by the query string of GET /api/codes and the body of POST /api/exports. */
export const codeQueryShape = {
  /** A trace code, a GS1 element string or several codes separated by commas or new lines. */
  code: z.string().trim().min(1).max(200_000).optional(),
  gtin: z.string().regex(/^\d{14}$/, '14 digits').optional(),
  serial: z.string().trim().min(1).max(20).optional(),
  productId: z.coerce.number().int().positive().optional(),
  batch: z.string().trim().min(1).max(60).optional(),
  state: csv(z.enum(CODE_STATES)).optional(),
  level: z.coerce.number().int().min(1).max(9).optional(),
  documentId: z.coerce.number().int().positive().optional(),
  /** A document by its number (收货单 / 出库单号). */
  document: z.string().trim().min(1).max(60).optional(),
  counterpartyId: z.coerce.number().int().positive().optional(),
  /** Scan (movement) dates, China time, inclusive. */
  scanFrom: day.optional(),
  scanTo: day.optional(),
  /** Dates a platform accepted the code, China time, inclusive. */
  uploadFrom: day.optional(),
  uploadTo: day.optional(),
  sort: z.enum(CODE_SORTS).default('code'),
  order: z.enum(['asc', 'desc']).default('asc'),
};

const serialNeedsGtin = (q: { gtin?: string; serial?: string }) => (q.gtin === undefined) === (q.serial === undefined);
const serialMessage = { message: 'gtin and serial go together', path: ['serial'] };

export const codeQuery = z
  .object({
    ...codeQueryShape,
    page: z.coerce.number().int().min(1).max(1_000_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(50),
    /** `ndjson`: every matching row, streamed (one JSON object per line), whatever their number. */
    format: z.enum(['json', 'ndjson']).default('json'),
  })
  .strict()
  .refine(serialNeedsGtin, serialMessage);
export type CodeQuery = z.infer<typeof codeQuery>;

export const exportBody = z
  .object({
    query: z.object(codeQueryShape).strict().refine(serialNeedsGtin, serialMessage),
    format: z.enum(EXPORT_FORMATS),
  })
  .strict();
export type ExportBody = z.infer<typeof exportBody>;
export type CodeQuerySpec = ExportBody['query'];

export interface CodeRowView {
  code: string;
  level: number | null;
  state: CodeStateName;
  product: { id: number; name: string } | null;
  batch: string | null;
  expiry: string | null;
  parent: string | null;
  document: { id: number; number: string } | null;
  updatedAt: number;
}

export interface CodePageView {
  total: number;
  page: number;
  pageSize: number;
  rows: CodeRowView[];
}

export type ExportStatus = 'queued' | 'running' | 'done' | 'failed' | 'expired';

export interface ExportView {
  id: number;
  kind: 'codes';
  format: ExportFormat;
  query: CodeQuerySpec;
  status: ExportStatus;
  total: number;
  done: number;
  fileName: string | null;
  fileSize: number | null;
  encrypted: boolean;
  sourceExportId: number | null;
  error: { code: string; message: string } | null;
  operator: { id: number; name: string } | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  expiresAt: number | null;
}

/** Socket `export.progress`, to the unit's `exports` room: coalesced, and always the final state. */
export type ExportProgressView = Pick<ExportView, 'id' | 'status' | 'total' | 'done' | 'fileName' | 'fileSize' | 'error' | 'finishedAt'>;

export const QUERY_ERRORS = {
  EXPORT_TOO_LARGE: { 'zh-CN': '一次最多导出 100 000 个追溯码，请按日期或批号缩小范围后分次导出', en: 'An export holds at most 100 000 codes — narrow the query by date or batch and export in parts' },
  EXPORT_EMPTY: { 'zh-CN': '没有符合条件的追溯码，无需导出', en: 'No code matches this query: nothing to export' },
  EXPORT_NOT_FOUND: { 'zh-CN': '导出任务不存在', en: 'No such export' },
  EXPORT_NOT_READY: { 'zh-CN': '导出文件尚未生成完毕', en: 'The export file is not ready yet' },
  EXPORT_EXPIRED: { 'zh-CN': '导出文件已超过保留期限被清理，请重新导出', en: 'The export file passed its retention period and was removed — export again' },
  EXPORT_FAILED: { 'zh-CN': '导出失败', en: 'The export failed' },
} as const;
