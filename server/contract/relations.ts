import { z } from 'zod';
import type { Localized } from './views.js';

/**
 * Package-relation files (码上放心 关联关系, DOMAIN.md §3): import into the hierarchy, export from it.
 * The UI imports the types; the HTTP layer validates queries with the schemas.
 */

/** Error codes of package-relation import/export. Spread into ERROR_MESSAGES. */
export const RELATION_ERRORS = {
  RELATION_FILE_INVALID: { 'zh-CN': '关联关系文件无法读取', en: 'The relation file cannot be read' },
  RELATION_FILE_EMPTY: { 'zh-CN': '关联关系文件中没有任何追溯码', en: 'The relation file contains no codes' },
  RELATION_FILE_TOO_LARGE: { 'zh-CN': '关联关系文件过大（上限 512 MB）', en: 'The relation file is too large (512 MB at most)' },
  RELATION_UPLOAD_ABORTED: { 'zh-CN': '文件上传中断（连接断开或超过 60 秒没有数据），未导入任何数据', en: 'The upload was interrupted (connection lost or no data for 60 s); nothing was imported' },
  RELATION_IMPORT_BUSY: { 'zh-CN': '另一个关联关系文件正在导入，请在其完成后再试', en: 'Another relation file is being imported; try again when it has finished' },
  RELATION_CONFLICT: { 'zh-CN': '关联关系不符合包装规则，未导入任何数据', en: 'The relations break the packing rules; nothing was imported' },
  RELATION_IMPORT_NOT_FOUND: { 'zh-CN': '该导入记录不存在', en: 'No such relation import' },
  RELATION_IMPORT_NOT_DONE: { 'zh-CN': '该导入未成功完成，没有可导出的数据', en: 'This import did not complete; it wrote nothing to export' },
  RELATION_EXPORT_NOT_FOUND: { 'zh-CN': '要导出的追溯码未登记包装关系', en: 'The codes to export have no stored package relation' },
  RELATION_IMPORT_INTERRUPTED: { 'zh-CN': '导入被中断（工作站重启），未导入任何数据', en: 'The import was interrupted (workstation restart); nothing was imported' },
} as const satisfies Record<string, Localized>;

export type RelationErrorCode = keyof typeof RELATION_ERRORS;

export const RELATION_FORMATS = ['xml', 'csv'] as const;
export type RelationFormat = (typeof RELATION_FORMATS)[number];

/**
 * Why a file was refused. The hierarchy reasons (DOMAIN.md §3) keep the names of the dock's
 * aggregation rules so a worker reads the same words for a file and for a scan.
 */
export const RELATION_VIOLATIONS = [
  'duplicate_in_file',
  'parent_missing',
  'same_code',
  'level_not_higher',
  'code_conflict',
  'already_packed',
  'product_mismatch',
  'parent_full',
] as const;
export type RelationViolationReason = (typeof RELATION_VIOLATIONS)[number];

export interface RelationViolationView {
  reason: RelationViolationReason;
  /** The offending codes, the child (or the duplicated code) first. */
  codes: string[];
  message: Localized;
}

export interface RelationImportErrorView {
  /** INTERNAL: the database or the workstation failed, not the file. */
  code: RelationErrorCode | 'INTERNAL';
  message: Localized;
  /** The first few offenders of each rule; `total` counts them all. */
  violations: RelationViolationView[];
  total: number;
}

export type RelationImportStatus = 'running' | 'done' | 'failed';

export interface RelationImportView {
  id: number;
  unitId: number | null;
  operatorId: number | null;
  fileName: string;
  format: RelationFormat;
  status: RelationImportStatus;
  /** Codes in the file (written to the hierarchy when `done`). */
  records: number;
  error: RelationImportErrorView | null;
  startedAt: number;
  finishedAt: number | null;
}

/** Answer of a successful import. */
export interface RelationImportResultView {
  importId: number;
  records: number;
  /** Codes that received children from this file. */
  parents: number;
  /** 零头: parents not full under their package ratio. Flagged, not refused. */
  partialParents: number;
  durationMs: number;
}

const fileName = z.string().trim().min(1).max(300);

/** `POST /api/relations/import?format=xml|csv&name=…`; the body is the file itself. */
export const relationImportQuery = z.object({
  format: z.enum(RELATION_FORMATS).optional(),
  name: fileName.optional(),
});

export const relationImportsQuery = z.object({
  /** Keyset paging: imports with a smaller id (newest first). */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const relationImportIdParam = z.object({ id: z.coerce.number().int().positive() });

// Codes are at most 100 characters (packs.code); 1 000 roots keep the query string sane.
const rootList = z
  .string()
  .transform((s) => [...new Set(s.split(',').map((c) => c.trim()).filter((c) => c !== ''))])
  .pipe(z.array(z.string().max(100)).min(1).max(1000));

/** `GET /api/relations/export?roots=A,B` or `?importId=N`: exactly one of them. */
export const relationExportQuery = z
  .object({
    roots: rootList.optional(),
    importId: z.coerce.number().int().positive().optional(),
  })
  .refine((q) => (q.roots === undefined) !== (q.importId === undefined), { message: 'give either roots or importId', path: ['roots'] });

export type RelationExportQuery = z.infer<typeof relationExportQuery>;
