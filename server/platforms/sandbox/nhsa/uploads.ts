import type { NhsaProfile, UploadOperation } from '../../nhsa/profile.schema.js';
import { refusals, type JsonObject, type Refusal } from './answers.js';
import { chinaDate } from './clock.js';
import { fieldProblem, pick, type FieldValue } from './fields.js';
import type { SandboxAccount, StoredRow } from './types.js';

export type NewRow = Omit<StoredRow, 'seq'>;
export type UploadResult = { ok: true; rows: NewRow[]; failures: JsonObject[] } | { ok: false; refusal: Refusal };

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Step 6. Header problems refuse the whole call (they are shared by every item); item problems
 * refuse only that item, reported by its record key as the client's response.ts expects.
 * Unknown fields are refused too: a misspelt optional field would otherwise vanish silently.
 */
export function acceptUpload(profile: NhsaProfile, id: UploadOperation, param: Record<string, unknown>, account: SandboxAccount, nowMs: number): UploadResult {
  const op = profile.operations[id];
  const list = param[op.listField];
  if (!Array.isArray(list) || list.length === 0) return { ok: false, refusal: refusals.records(`${op.listField} 为空或不是数组`) };
  if (list.length > op.maxRecords) return { ok: false, refusal: refusals.records(`${list.length} > ${op.maxRecords}`) };
  if (!list.every(isObject)) return { ok: false, refusal: refusals.records(`${op.listField} 的每一项都必须是 JSON 对象`) };

  const headerNames = new Set([...op.header.map((f) => f.name), op.listField]);
  const unknownHeader = Object.keys(param).find((k) => !headerNames.has(k));
  if (unknownHeader !== undefined) return { ok: false, refusal: refusals.params(`未知字段 ${unknownHeader}`) };
  for (const f of op.header) {
    const problem = fieldProblem(f, param[f.name]);
    if (problem) return { ok: false, refusal: refusals.params(problem) };
  }
  const header: Record<string, FieldValue> = {};
  pick(op.header, param, header);

  const keyName = op.item.find((f) => f.source === op.recordKey)!.name;
  const itemNames = new Set(op.item.map((f) => f.name));
  const rows: NewRow[] = [];
  const failures: JsonObject[] = [];
  for (const item of list as Array<Record<string, unknown>>) {
    const problems = op.item.map((f) => fieldProblem(f, item[f.name])).filter((p): p is string => p !== null);
    for (const k of Object.keys(item)) if (!itemNames.has(k)) problems.push(`未知字段 ${k}`);
    if (problems.length) {
      const key = item[keyName];
      failures.push({ [keyName]: typeof key === 'string' || typeof key === 'number' ? key : '', [profile.response.failures.message]: problems.join('；') });
      continue;
    }
    const fields: Record<string, FieldValue> = { ...header };
    pick(op.item, item, fields);
    rows.push({ ak: account.ak, uscc: account.uscc, operation: id, queryType: op.queryType, fields, uploadedAt: nowMs, uploadDate: chinaDate(nowMs) });
  }
  return { ok: true, rows, failures };
}
