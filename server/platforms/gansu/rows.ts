import { z } from 'zod';

/**
 * One row of saveSaleData (the Gansu guide's 请求参数 table, DOMAIN.md §7), with the limits both
 * the client and the sandbox enforce. The guide gives no lengths except the example message's
 * "购买人名称不大于 300"; the others are ours, chosen above anything a real sale needs, and kept in
 * this one table so the two sides cannot drift. Lengths count characters (code points), not bytes.
 */

export const DRUG_TYPES = ['YB', 'YC', 'YD'] as const;
export type DrugType = (typeof DRUG_TYPES)[number];
export const DRUG_TYPE_LABELS: Record<DrugType, { 'zh-CN': string; en: string }> = {
  YB: { 'zh-CN': '处方药', en: 'prescription drug' },
  YC: { 'zh-CN': '含麻黄碱类复方制剂', en: 'ephedrine compound' },
  YD: { 'zh-CN': '含麻精类复方制剂', en: 'narcotic/psychotropic compound' },
};

export const DATA_SOURCES = ['1', '2', '3'] as const;
/** '1' ERP 系统对接 — what the workstation sends. */
export const WORKSTATION_DATA_SOURCE = '1';

export const GANSU_MAX_ROWS = 10_000;

/** 2000-01-01 .. 2100-01-01 in Unix seconds: a millisecond time (13 digits) falls outside. */
export const SALE_TIME_RANGE = { min: 946_684_800, max: 4_102_444_800 } as const;
export const MAX_QUANTITY = 99_999;

type TextField =
  | 'drugType'
  | 'drugName'
  | 'purchaserName'
  | 'purchaserId'
  | 'purchaserPhone'
  | 'purchaserResidence'
  | 'drugstoreName'
  | 'drugstoreTyshxydm'
  | 'approvalNo'
  | 'dataSource';
export type GansuRowField = TextField | 'quantity' | 'saleTime';

interface FieldRule {
  zh: string;
  en: string;
  required: boolean;
  /** Text fields: at most this many characters. */
  max?: number;
  /** Text fields: the whole value must match. */
  pattern?: RegExp;
  patternZh?: string;
  patternEn?: string;
}

const USCC_RE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;
const DRUG_TYPE_RE = /^(YB|YC|YD)(,(YB|YC|YD)){0,2}$/;
const PHONE_RE = /^[0-9+\-() ]+$/;

/** The one table: field → label, required, limit, format. */
export const GANSU_ROW_RULES: Record<GansuRowField, FieldRule> = {
  drugType: { zh: '药品类型', en: 'drug type', required: true, max: 8, pattern: DRUG_TYPE_RE, patternZh: '只能是 YB、YC、YD 之一或以英文逗号连接的组合', patternEn: 'must be YB, YC, YD or several of them joined by ","' },
  drugName: { zh: '药品名称', en: 'drug name', required: true, max: 200 },
  quantity: { zh: '销售数量', en: 'quantity', required: true },
  purchaserName: { zh: '购买人名称', en: 'purchaser name', required: false, max: 300 },
  purchaserId: { zh: '购买人身份证号码', en: 'purchaser ID number', required: false, max: 50 },
  purchaserPhone: { zh: '购买人联系电话', en: 'purchaser phone', required: false, max: 20, pattern: PHONE_RE, patternZh: '只能包含数字、+、-、括号和空格', patternEn: 'may hold only digits, +, -, brackets and spaces' },
  purchaserResidence: { zh: '购买人住所', en: 'purchaser residence', required: false, max: 300 },
  drugstoreName: { zh: '药店名称', en: 'drugstore name', required: true, max: 200 },
  drugstoreTyshxydm: { zh: '药店统一社会信用代码', en: 'drugstore USCC', required: true, max: 18, pattern: USCC_RE, patternZh: '应为 18 位统一社会信用代码', patternEn: 'must be an 18-character unified social credit code' },
  saleTime: { zh: '销售时间', en: 'sale time', required: true },
  approvalNo: { zh: '批准文号', en: 'approval number', required: true, max: 100 },
  dataSource: { zh: '数据来源', en: 'data source', required: true, pattern: /^[123]$/, patternZh: '只能是 1（ERP 系统对接）、2（互联网采集）或 3（其它）', patternEn: 'must be 1 (ERP), 2 (internet) or 3 (other)' },
};

export const GANSU_ROW_FIELDS = Object.keys(GANSU_ROW_RULES) as GansuRowField[];

export const charLength = (s: string): number => [...s].length;

const text = (f: TextField) => {
  const r = GANSU_ROW_RULES[f];
  return z
    .string()
    .refine((v) => !r.required || v.trim() !== '', `${f} is required`)
    .refine((v) => r.max === undefined || charLength(v) <= r.max, `${f} longer than ${r.max ?? 0} characters`)
    .refine((v) => !r.pattern || (!r.required && v.trim() === '') || r.pattern.test(v), `${f}: ${r.patternEn ?? 'bad format'}`);
};
const optionalText = (f: TextField) => text(f).optional();

export const gansuSaleRowSchema = z
  .object({
    drugType: text('drugType').refine((v) => new Set(v.split(',')).size === v.split(',').length, 'drugType repeats a type'),
    drugName: text('drugName'),
    quantity: z.number().int().min(1).max(MAX_QUANTITY),
    purchaserName: optionalText('purchaserName'),
    purchaserId: optionalText('purchaserId'),
    purchaserPhone: optionalText('purchaserPhone'),
    purchaserResidence: optionalText('purchaserResidence'),
    drugstoreName: text('drugstoreName'),
    drugstoreTyshxydm: text('drugstoreTyshxydm'),
    saleTime: z.number().int().min(SALE_TIME_RANGE.min).max(SALE_TIME_RANGE.max),
    approvalNo: text('approvalNo'),
    dataSource: z.enum(DATA_SOURCES),
  })
  .strict();

export type GansuSaleRow = z.infer<typeof gansuSaleRowSchema>;

export interface GansuRowProblem {
  /** The field, or null for a problem with the row as a whole (not an object, unknown field). */
  field: GansuRowField | string | null;
  'zh-CN': string;
  en: string;
}

const isAbsent = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/**
 * Every problem of one row, in Chinese (as the platform words them: "药品名称不能为空",
 * "购买人名称不大于 300") and English. Empty for a row gansuSaleRowSchema accepts — the two are
 * kept in agreement by test. Optional fields may be absent or ''; null counts as absent too.
 */
export function checkRow(row: unknown): GansuRowProblem[] {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) return [{ field: null, 'zh-CN': '销售数据必须是 JSON 对象', en: 'a sale row must be a JSON object' }];
  const r = row as Record<string, unknown>;
  const problems: GansuRowProblem[] = [];
  const add = (field: string | null, zh: string, en: string) => problems.push({ field, 'zh-CN': zh, en });

  for (const f of GANSU_ROW_FIELDS) {
    const rule = GANSU_ROW_RULES[f];
    const v = r[f];
    if (isAbsent(v)) {
      if (rule.required) add(f, `${rule.zh}不能为空`, `${rule.en} (${f}) is required`);
      else if (v === null) add(f, `${rule.zh}不能为 null`, `${rule.en} (${f}) must be left out, not null`);
      continue;
    }
    if (f === 'quantity' || f === 'saleTime') {
      if (typeof v !== 'number' || !Number.isInteger(v)) {
        add(f, `${rule.zh}应为整数`, `${rule.en} (${f}) must be an integer`);
        continue;
      }
      if (f === 'quantity' && (v < 1 || v > MAX_QUANTITY)) add(f, `${rule.zh}应在 1 到 ${MAX_QUANTITY} 之间`, `${rule.en} must be 1..${MAX_QUANTITY}`);
      if (f === 'saleTime' && (v < SALE_TIME_RANGE.min || v > SALE_TIME_RANGE.max))
        add(f, `${rule.zh}应为以秒计的 Unix 时间戳`, `${rule.en} (${f}) must be Unix seconds between 2000 and 2100 (milliseconds?)`);
      continue;
    }
    if (typeof v !== 'string') {
      add(f, `${rule.zh}应为字符串`, `${rule.en} (${f}) must be a string`);
      continue;
    }
    if (rule.max !== undefined && charLength(v) > rule.max) add(f, `${rule.zh}不大于 ${rule.max}`, `${rule.en} (${f}) is longer than ${rule.max} characters`);
    else if (rule.pattern && !rule.pattern.test(v)) add(f, `${rule.zh}${rule.patternZh ?? '格式错误'}`, `${rule.en} (${f}) ${rule.patternEn ?? 'has a bad format'}`);
    else if (f === 'drugType' && new Set(v.split(',')).size !== v.split(',').length) add(f, `${rule.zh}重复`, `${rule.en} (${f}) repeats a type`);
  }
  for (const k of Object.keys(r)) {
    if (!(GANSU_ROW_FIELDS as string[]).includes(k)) add(k, `未知字段 ${k}`, `unknown field ${k}`);
  }
  return problems;
}
