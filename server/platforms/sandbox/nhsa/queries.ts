import type { CanonicalField, NhsaProfile, QueryOperation, UploadOperation } from '../../nhsa/profile.schema.js';
import { refusals, type JsonObject, type Refusal } from './answers.js';
import { chinaDateTime, isCalendarDate } from './clock.js';
import type { StoredRow } from './types.js';

export type QueryResult = { ok: true; rows: JsonObject[]; total: number } | { ok: false; refusal: Refusal };

/** What each query searches: the canonical field it names, or the upload date. */
const SEARCH: Record<QueryOperation, { param: 'code' | 'batch' | 'date'; source?: CanonicalField }> = {
  queryByCode: { param: 'code', source: 'traceCode' },
  queryByBatch: { param: 'batch', source: 'batch' },
  queryByDate: { param: 'date' },
};

function platformName(profile: NhsaProfile, op: UploadOperation, source: CanonicalField): string | undefined {
  const o = profile.operations[op];
  return [...o.header, ...o.item].find((f) => f.source === source)?.name;
}

/** A 1-based page or a page size: absent → the fallback, anything but a positive integer → null. */
function positiveInt(param: Record<string, unknown>, name: string | undefined, fallback: number): number | null {
  const v = name === undefined ? undefined : param[name];
  if (v === undefined) return fallback;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 1) return v;
  if (typeof v === 'string' && /^[1-9]\d{0,8}$/.test(v)) return Number(v);
  return null;
}

/** Step 7: only the caller's own rows, in arrival order, one page of them. */
export function runQuery(profile: NhsaProfile, id: QueryOperation, param: Record<string, unknown>, own: readonly StoredRow[]): QueryResult {
  const op = profile.operations[id];
  const search = SEARCH[id];
  const searchName = op.params[search.param]!;
  const known = new Set([searchName, op.params.page, op.params.pageSize].filter((n): n is string => n !== undefined));
  const unknown = Object.keys(param).find((k) => !known.has(k));
  if (unknown !== undefined) return { ok: false, refusal: refusals.params(`未知字段 ${unknown}`) };

  const value = param[searchName];
  if (typeof value !== 'string' || value === '') return { ok: false, refusal: refusals.params(`必填字段 ${searchName} 为空或不是字符串`) };
  if (search.param === 'date' && !isCalendarDate(value)) return { ok: false, refusal: refusals.params(`字段 ${searchName} 应为 yyyy-MM-dd（${value}）`) };

  const page = positiveInt(param, op.params.page, 1);
  if (page === null) return { ok: false, refusal: refusals.params(`字段 ${op.params.page} 应为正整数`) };
  const requested = positiveInt(param, op.params.pageSize, op.pageSize);
  if (requested === null) return { ok: false, refusal: refusals.params(`字段 ${op.params.pageSize} 应为正整数`) };
  const pageSize = Math.min(requested, op.pageSize);

  const matches = own.filter((r) => {
    if (!search.source) return r.uploadDate === value;
    const name = platformName(profile, r.operation, search.source);
    return name !== undefined && String(r.fields[name] ?? '') === value;
  });
  const rows = matches
    .slice((page - 1) * pageSize, page * pageSize)
    .map((r) => ({ ...r.fields, [profile.query.typeField]: r.queryType, upld_time: chinaDateTime(r.uploadedAt) }));
  return { ok: true, rows, total: matches.length };
}
