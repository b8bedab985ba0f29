import type { ProductFields } from '../../../db/repositories/products.repository.js';
import type { z } from 'zod';
import { IDENTIFIER_FIELDS, PRODUCT_FLAGS, type IdentifierField, type updateProductBody } from '../../contract/master-data.js';
import { foldWidth, isValidGtin, reasonMessage, toGtin14, validateApprovalNumber, validateNhsaConsumableCode, validateNhsaDrugCode } from '../../domain/codes/index.js';
import { parsePackageRatio } from '../../domain/hierarchy/ratio.js';
import type { Problem } from './problems.js';

/** A product body after the schema: trimmed text, empty → null. */
export type ProductInput = z.output<typeof updateProductBody>;

export interface ProductDraft {
  /** Only the fields the input named (a PATCH, or an import whose file lacks a column, leaves the rest). */
  fields: Partial<ProductFields>;
  /** GTIN-14 or prefix per level; null = retire the active mapping of that level. */
  identifiers: Partial<Record<IdentifierField, string | null>>;
}

/** What a new product has in the fields its input left out. */
export const PRODUCT_DEFAULTS: Omit<ProductFields, 'code' | 'name'> = {
  genericName: null,
  spec: null,
  packageSpec: null,
  manufacturer: null,
  approvalNo: null,
  dosageForm: null,
  nhsaCode: null,
  nhsaKind: null,
  ratio: null,
  prescription: false,
  ephedrine: false,
  narcoticCompound: false,
  specialControl: false,
  noCodeExempt: false,
  blocked: false,
};

const TEXT_FIELDS = ['code', 'name', 'genericName', 'spec', 'packageSpec', 'manufacturer', 'dosageForm'] as const;

export const identifierKind = (f: IdentifierField): 'gtin' | 'prefix' => (f.startsWith('gtin') ? 'gtin' : 'prefix');
export const identifierLevel = (f: IdentifierField): 1 | 2 | 3 => Number(f.slice(-1)) as 1 | 2 | 3;

/** Domain checks and normalisation shared by the HTTP API and the importer. */
export function checkProduct(input: ProductInput): { draft: ProductDraft; problems: Problem[] } {
  const fields: Partial<ProductFields> = {};
  const identifiers: ProductDraft['identifiers'] = {};
  const problems: Problem[] = [];
  for (const f of TEXT_FIELDS) if (input[f] !== undefined) (fields as Record<string, unknown>)[f] = input[f];
  for (const f of PRODUCT_FLAGS) if (input[f] !== undefined) fields[f] = input[f];

  if (input.approvalNo !== undefined) {
    const a = input.approvalNo === null ? null : approvalNo(input.approvalNo);
    if (a && 'problem' in a) problems.push(a.problem);
    else fields.approvalNo = a?.value ?? null;
  }
  if (input.nhsaCode !== undefined) {
    const n = input.nhsaCode === null ? null : nhsaCode(input.nhsaCode);
    if (n && 'problem' in n) problems.push(n.problem);
    else Object.assign(fields, n ? { nhsaCode: n.value, nhsaKind: n.kind } : { nhsaCode: null, nhsaKind: null });
  }
  if (input.ratio !== undefined) {
    const r = input.ratio === null ? null : parsePackageRatio(input.ratio);
    if (r && !r.ok) problems.push({ field: 'ratio', value: input.ratio!, code: 'PACKAGE_RATIO_INVALID', reason: ratioReason(input.ratio!, r.error) });
    else fields.ratio = r?.ratio.spec ?? null;
  }

  const seen = new Map<string, IdentifierField>();
  for (const f of IDENTIFIER_FIELDS) {
    const raw = input[f];
    if (raw === undefined) continue;
    if (raw === null) {
      identifiers[f] = null;
      continue;
    }
    const v = identifierKind(f) === 'gtin' ? gtin(f, raw) : prefix(f, raw);
    if ('problem' in v) {
      problems.push(v.problem);
      continue;
    }
    const key = `${identifierKind(f)}:${v.value}`;
    const other = seen.get(key);
    if (other) problems.push({ field: f, value: raw, code: 'VALIDATION_FAILED', reason: { 'zh-CN': `与 ${other} 相同：同一编码不能用于两个包装级别`, en: `same as ${other}: one code cannot name two packaging levels` } });
    seen.set(key, f);
    identifiers[f] = v.value;
  }
  return { draft: { fields, identifiers }, problems };
}

type Checked<T = string> = { value: T } | { problem: Problem };

/** Consumables carry a registration number (注册证号) instead, so only a 国药准字 must have the drug shape. */
function approvalNo(raw: string): Checked {
  const r = validateApprovalNumber(raw);
  if (r.valid) return { value: r.normalized };
  if (!foldWidth(raw).replace(/\s+/g, '').startsWith('国药准字')) return { value: raw };
  return { problem: { field: 'approvalNo', value: raw, code: 'APPROVAL_NO_INVALID', reason: reasonMessage('approval_bad_format') } };
}

function nhsaCode(raw: string): { value: string; kind: 'drug' | 'consumable' } | { problem: Problem } {
  const drug = validateNhsaDrugCode(raw);
  if (drug.valid) return { value: drug.normalized, kind: 'drug' };
  const consumable = validateNhsaConsumableCode(raw);
  if (consumable.valid) return { value: consumable.normalized, kind: 'consumable' };
  const reason = reasonMessage(consumable.normalized.startsWith('C') ? 'nhsa_consumable_bad_format' : 'nhsa_drug_bad_format');
  return { problem: { field: 'nhsaCode', value: raw, code: 'NHSA_CODE_INVALID', reason } };
}

function gtin(field: IdentifierField, raw: string): Checked {
  const s = foldWidth(raw).replace(/\s+/g, '');
  if (isValidGtin(s)) return { value: toGtin14(s)! };
  const lengthOk = /^(\d{8}|\d{12,14})$/.test(s);
  const reason = lengthOk
    ? reasonMessage('gtin_check_digit', { value: s })
    : { 'zh-CN': `商品码「${raw}」应为 8、12、13 或 14 位数字`, en: `commodity code "${raw}" must be 8, 12, 13 or 14 digits` };
  return { problem: { field, value: raw, code: 'GTIN_INVALID', reason } };
}

function prefix(field: IdentifierField, raw: string): Checked {
  const s = foldWidth(raw).replace(/\s+/g, '');
  if (/^8\d{6}$/.test(s)) return { value: s };
  return {
    problem: {
      field,
      value: raw,
      code: 'TRACE_PREFIX_INVALID',
      reason: { 'zh-CN': `追溯码前缀「${raw}」应为以 8 开头的 7 位数字（药品标识码）`, en: `trace-code prefix "${raw}" must be 7 digits starting with 8 (drug identification code)` },
    },
  };
}

function ratioReason(raw: string, en: string) {
  return { 'zh-CN': `包装比例「${raw}」不正确：应为 大:中:小（如 1:5:10）或 大:小（如 1:10），以 1 开头且每一级能整除下一级`, en: `package ratio ${en}` };
}
