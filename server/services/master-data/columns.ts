import type { Localized } from '../../contract/views.js';
import { foldWidth } from '../../domain/codes/index.js';

/**
 * Import columns: the header a user writes (Chinese or English, as ERP exports and our templates
 * name them) → the contract field. The first Chinese and English names make the template header.
 */
export interface ColumnSpec {
  field: string;
  zh: readonly string[];
  en: readonly string[];
  required?: boolean;
}

export const PRODUCT_COLUMNS: readonly ColumnSpec[] = [
  { field: 'code', zh: ['商品编号', '商品编码', '产品编号', '药品编号', '商品代码'], en: ['code', 'productCode', 'productNo'], required: true },
  { field: 'name', zh: ['商品名称', '药品名称', '产品名称', '名称', '商品名'], en: ['name', 'productName'], required: true },
  { field: 'genericName', zh: ['通用名', '通用名称'], en: ['genericName'] },
  { field: 'spec', zh: ['规格', '制剂规格'], en: ['spec', 'specification'] },
  { field: 'packageSpec', zh: ['包装规格'], en: ['packageSpec'] },
  { field: 'manufacturer', zh: ['生产企业', '生产厂家', '厂家'], en: ['manufacturer'] },
  { field: 'approvalNo', zh: ['批准文号', '注册证号'], en: ['approvalNo', 'approvalNumber'] },
  { field: 'dosageForm', zh: ['剂型'], en: ['dosageForm'] },
  { field: 'nhsaCode', zh: ['医保编码', '国家医保编码', '医保代码'], en: ['nhsaCode'] },
  { field: 'ratio', zh: ['包装比例'], en: ['ratio', 'packageRatio'] },
  { field: 'prescription', zh: ['处方药'], en: ['prescription'] },
  { field: 'ephedrine', zh: ['含麻黄碱', '含麻黄碱类复方制剂'], en: ['ephedrine'] },
  { field: 'narcoticCompound', zh: ['含麻精', '含麻精类复方制剂'], en: ['narcoticCompound'] },
  { field: 'specialControl', zh: ['特药', '特殊管理药品'], en: ['specialControl'] },
  { field: 'noCodeExempt', zh: ['免扫码', '无码豁免'], en: ['noCodeExempt'] },
  { field: 'blocked', zh: ['停用', '禁用'], en: ['blocked'] },
  { field: 'gtin1', zh: ['小包装商品码', '一级商品码', '商品条码'], en: ['gtin1'] },
  { field: 'gtin2', zh: ['中包装商品码', '二级商品码'], en: ['gtin2'] },
  { field: 'gtin3', zh: ['大包装商品码', '三级商品码'], en: ['gtin3'] },
  { field: 'prefix1', zh: ['小包装追溯码前缀', '一级追溯码前缀', '药品标识码'], en: ['prefix1'] },
  { field: 'prefix2', zh: ['中包装追溯码前缀', '二级追溯码前缀'], en: ['prefix2'] },
  { field: 'prefix3', zh: ['大包装追溯码前缀', '三级追溯码前缀'], en: ['prefix3'] },
];

export const COUNTERPARTY_COLUMNS: readonly ColumnSpec[] = [
  { field: 'name', zh: ['单位名称', '名称', '企业名称', '往来单位'], en: ['name'], required: true },
  { field: 'uscc', zh: ['统一社会信用代码', '信用代码', '社会信用代码'], en: ['uscc', 'creditCode'], required: true },
  { field: 'type', zh: ['单位类型', '类型', '企业类型'], en: ['type'], required: true },
  { field: 'address', zh: ['地址', '单位地址'], en: ['address'] },
  { field: 'licenceNo', zh: ['许可证号', '经营许可证号', '许可证编号'], en: ['licenceNo', 'licenseNo'] },
  { field: 'platformIds', zh: ['平台编号', '平台编码'], en: ['platformIds'] },
];

/** The column an error report adds; a corrected report can be imported again as it is. */
export const REASON_HEADER = '原因/Reason';

export const templateHeader = (c: ColumnSpec) => `${c.required ? '*' : ''}${c.zh[0]}/${c.en[0]}`;

// Users mark required columns with *, add spaces, or write full-width letters; none of it is meaning.
const norm = (s: string) => foldWidth(s).toLowerCase().replace(/[\s*_\-.:]/g, '');

export interface HeaderMap {
  /** Column index → field. */
  fields: Map<number, string>;
  /** Field → header text as written (for error reports). */
  labels: Map<string, string>;
}

export function mapHeader(cells: readonly string[], specs: readonly ColumnSpec[]): { map: HeaderMap } | { error: Localized } {
  const lookup = new Map<string, string>();
  for (const s of specs) for (const name of [...s.zh, ...s.en, s.field]) lookup.set(norm(name), s.field);
  const fields = new Map<number, string>();
  const labels = new Map<string, string>();
  for (const [i, cell] of cells.entries()) {
    const field = resolve(cell, lookup);
    if (!field) continue; // unknown columns (a previous report's 原因/Reason, ERP extras) are ignored
    if (labels.has(field)) return { error: { 'zh-CN': `表头「${labels.get(field)}」与「${cell}」重复`, en: `columns "${labels.get(field)}" and "${cell}" mean the same field` } };
    fields.set(i, field);
    labels.set(field, cell);
  }
  const missing = specs.filter((s) => s.required && !labels.has(s.field));
  if (missing.length) {
    return {
      error: {
        'zh-CN': `缺少必填列：${missing.map((m) => m.zh[0]).join('、')}（第 1 行须为表头，请使用导入模板）`,
        en: `required columns missing: ${missing.map((m) => m.en[0]).join(', ')} (row 1 must be the header; use the template)`,
      },
    };
  }
  return { map: { fields, labels } };
}

/** `商品编号`, `code`, `*商品编号/code` and `商品编号(code)` all name the same column. */
function resolve(cell: string, lookup: Map<string, string>): string | undefined {
  const whole = lookup.get(norm(cell));
  if (whole) return whole;
  const parts = cell.split(/[/|（()）]/).map(norm).filter(Boolean);
  const hits = new Set(parts.map((p) => lookup.get(p)).filter((f): f is string => f !== undefined));
  return hits.size === 1 ? [...hits][0] : undefined;
}
