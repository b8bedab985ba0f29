import { z } from 'zod';
import type { Localized } from './views.js';

/**
 * Wire shapes of master data (issue 5): products with their three-code mapping (三码合一),
 * counterparties, file imports with their error report. The UI imports the types; the server
 * validates with the schemas. Import rows go through the same schemas as the HTTP bodies.
 */

/** Error codes of master data (products, counterparties, imports). Spread into ERROR_MESSAGES. */
export const MASTER_DATA_ERRORS = {
  PRODUCT_NOT_FOUND: { 'zh-CN': '药品不存在', en: 'No such product' },
  PRODUCT_CODE_TAKEN: { 'zh-CN': '该商品编号已被其他药品使用', en: 'This product number is already used by another product' },
  PRODUCT_IDENTIFIER_TAKEN: { 'zh-CN': '该商品码或追溯码前缀已属于其他药品', en: 'This commodity code or trace-code prefix already belongs to another product' },
  GTIN_INVALID: { 'zh-CN': '商品码不正确（应为 8、12、13 或 14 位数字且校验位正确）', en: 'The commodity code is invalid (8, 12, 13 or 14 digits with a correct check digit)' },
  TRACE_PREFIX_INVALID: { 'zh-CN': '追溯码前缀应为以 8 开头的 7 位数字', en: 'A trace-code prefix is 7 digits starting with 8' },
  PACKAGE_RATIO_INVALID: { 'zh-CN': '包装比例不正确（大:中:小，如 1:5:10，每一级须整除下一级）', en: 'The package ratio is invalid (big:middle:small, e.g. 1:5:10, each level dividing the next)' },
  NHSA_CODE_INVALID: { 'zh-CN': '医保编码格式不正确', en: 'The NHSA code has the wrong shape' },
  APPROVAL_NO_INVALID: { 'zh-CN': '批准文号格式不正确', en: 'The approval number has the wrong shape' },
  COUNTERPARTY_NOT_FOUND: { 'zh-CN': '往来单位不存在', en: 'No such counterparty' },
  COUNTERPARTY_USCC_TAKEN: { 'zh-CN': '本单位已登记该统一社会信用代码的往来单位', en: 'A counterparty with this unified social credit code already exists in this unit' },
  IMPORT_HAS_ERRORS: { 'zh-CN': '导入文件中有错误行，未导入任何数据；请按错误报告修改后重新导入', en: 'The file has rows with errors; nothing was imported — fix them using the error report and import again' },
  IMPORT_FILE_INVALID: { 'zh-CN': '无法读取导入文件', en: 'The import file cannot be read' },
  IMPORT_TOO_LARGE: { 'zh-CN': '导入文件过大', en: 'The import file is too large' },
  IMPORT_REPORT_NOT_FOUND: { 'zh-CN': '错误报告不存在或已过期，请重新导入', en: 'No such error report (it may have expired) — import again' },
} as const satisfies Record<string, Localized>;

export const NHSA_KINDS = ['drug', 'consumable'] as const;
export type NhsaKind = (typeof NHSA_KINDS)[number];

export const COUNTERPARTY_TYPES = ['manufacturer', 'wholesaler', 'hospital', 'pharmacy', 'other'] as const;
export type CounterpartyType = (typeof COUNTERPARTY_TYPES)[number];

/** 1 unit (小包装), 2 middle pack (中包装), 3 case (大包装). */
export const PACK_LEVELS = [1, 2, 3] as const;
export type PackLevelNo = (typeof PACK_LEVELS)[number];

export const PRODUCT_FLAGS = ['prescription', 'ephedrine', 'narcoticCompound', 'specialControl', 'noCodeExempt', 'blocked'] as const;
export type ProductFlag = (typeof PRODUCT_FLAGS)[number];

/** Per-level commodity codes (GTIN, stored as GTIN-14) and 7-digit trace-code prefixes. */
export const IDENTIFIER_FIELDS = ['gtin1', 'gtin2', 'gtin3', 'prefix1', 'prefix2', 'prefix3'] as const;
export type IdentifierField = (typeof IDENTIFIER_FIELDS)[number];

export interface ProductCodeView {
  id: number;
  kind: 'gtin' | 'prefix';
  level: PackLevelNo;
  value: string;
  status: 'pending' | 'active';
}

export interface ProductView extends Record<ProductFlag, boolean> {
  id: number;
  code: string;
  name: string;
  genericName: string | null;
  spec: string | null;
  packageSpec: string | null;
  manufacturer: string | null;
  approvalNo: string | null;
  dosageForm: string | null;
  nhsaCode: string | null;
  nhsaKind: NhsaKind | null;
  ratio: string | null;
  /** Active and pending mappings; retired and rejected ones stay in the history only. */
  codes: ProductCodeView[];
  createdAt: number;
  updatedAt: number;
}

export interface CounterpartyView {
  id: number;
  unitId: number;
  name: string;
  uscc: string;
  type: CounterpartyType;
  address: string | null;
  licenceNo: string | null;
  platformIds: Record<string, string>;
  createdAt: number;
  updatedAt: number;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export type ImportKind = 'products' | 'counterparties';
export const IMPORT_MODES = ['all', 'valid-only'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

export interface ImportRowError {
  /** Row number as the spreadsheet shows it (the header is row 1). */
  row: number;
  /** Header text of the offending column, as written in the file. */
  column?: string;
  value?: string;
  reason: Localized;
}

export interface ImportReport {
  kind: ImportKind;
  mode: ImportMode;
  /** Non-blank data rows read. */
  total: number;
  imported: number;
  /** Rows with at least one error. */
  errorRows: number;
  /** The first 1 000 errors; the XLSX report has every one. */
  errors: ImportRowError[];
  errorsTruncated: boolean;
  /** Download at GET /api/imports/:id/report.xlsx while it lasts; null when every row was good. */
  reportId: string | null;
}

/** Body of a 422 IMPORT_HAS_ERRORS answer: the usual error envelope plus the report. */
export interface ImportRejectedBody {
  error: { code: 'IMPORT_HAS_ERRORS'; message: string; messages: Localized };
  report: ImportReport;
}

// ---- request schemas -------------------------------------------------------------------------

const CONTROL = /\p{Cc}/u;
const field = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((s) => !CONTROL.test(s), 'must not contain control characters');
const required = (max: number) => field(max).pipe(z.string().min(1));
/** Optional text: absent = unchanged (PATCH), null or empty = cleared. */
const optional = (max: number) =>
  field(max)
    .transform((s) => (s === '' ? null : s))
    .nullable()
    .optional();

const productShape = {
  code: required(60),
  name: required(200),
  genericName: optional(200),
  spec: optional(200),
  packageSpec: optional(200),
  manufacturer: optional(200),
  approvalNo: optional(60),
  dosageForm: optional(60),
  nhsaCode: optional(40),
  ratio: optional(40),
  prescription: z.boolean().optional(),
  ephedrine: z.boolean().optional(),
  narcoticCompound: z.boolean().optional(),
  specialControl: z.boolean().optional(),
  noCodeExempt: z.boolean().optional(),
  blocked: z.boolean().optional(),
  gtin1: optional(20),
  gtin2: optional(20),
  gtin3: optional(20),
  prefix1: optional(20),
  prefix2: optional(20),
  prefix3: optional(20),
};

export const createProductBody = z.object(productShape).strict();
export type CreateProductBody = z.input<typeof createProductBody>;

/** A null identifier retires the active mapping of that level; absent leaves it alone. */
export const updateProductBody = z.object({ ...productShape, code: productShape.code.optional(), name: productShape.name.optional() }).strict();
export type UpdateProductBody = z.input<typeof updateProductBody>;

const platformIds = z.record(z.string().trim().min(1).max(40).regex(/^[A-Za-z0-9_.-]+$/, 'key: letters, digits, _ . -'), field(100).pipe(z.string().min(1))).refine(
  (o) => Object.keys(o).length <= 20,
  'at most 20 platform ids',
);

const counterpartyShape = {
  name: required(200),
  uscc: required(40),
  type: z.enum(COUNTERPARTY_TYPES),
  address: optional(300),
  licenceNo: optional(100),
  platformIds: platformIds.optional(),
};

export const createCounterpartyBody = z.object(counterpartyShape).strict();
export type CreateCounterpartyBody = z.input<typeof createCounterpartyBody>;

export const updateCounterpartyBody = z
  .object({ ...counterpartyShape, name: counterpartyShape.name.optional(), uscc: counterpartyShape.uscc.optional(), type: counterpartyShape.type.optional() })
  .strict();
export type UpdateCounterpartyBody = z.input<typeof updateCounterpartyBody>;

export const listQuery = z
  .object({
    q: z.string().trim().max(100).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  })
  .strict();
export type ListQuery = z.input<typeof listQuery>;

export const importQuery = z
  .object({
    format: z.enum(['csv', 'xlsx']).optional(),
    mode: z.enum(IMPORT_MODES).default('all'),
    /** Shown in the report's file name only. */
    filename: z.string().trim().max(200).optional(),
  })
  .strict();
export type ImportQuery = z.input<typeof importQuery>;

export const importReportId = z.string().regex(/^[0-9a-f-]{36}$/);
