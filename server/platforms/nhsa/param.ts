import { chinaDate, chinaDateTime } from '../../domain/china-time.js';
import type { CanonicalRecord, ProfileField, UploadOperationProfile } from './profile.schema.js';

export type JsonValue = string | number;
export interface FieldProblem {
  field: string;
  reason: 'required' | 'too_long' | 'bad_value';
  message: { 'zh-CN': string; en: string };
}
export type Mapped = { ok: true; header: Record<string, JsonValue>; item: Record<string, JsonValue> } | { ok: false; problems: FieldProblem[] };


/**
 * Our instants are epoch milliseconds; a digit string of up to 10 digits is epoch seconds; a
 * `yyyy-MM-dd[ HH:mm:ss]` text is China time. Never the machine's own time zone.
 */
function instantOf(v: string | number): number {
  if (typeof v === 'number') return v;
  if (/^\d{1,10}$/.test(v)) return Number(v) * 1000;
  if (/^\d{11,}$/.test(v)) return Number(v);
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}:\d{2}))?$/.exec(v);
  return m ? Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}+08:00`) : Number.NaN;
}

function formatValue(f: ProfileField, raw: string | number): JsonValue | undefined {
  let v: string | number = raw;
  if (f.values) {
    // A value the platform has no spelling for would be sent as our internal word: refuse it.
    if (!(String(raw) in f.values)) return undefined;
    v = f.values[String(raw)]!;
  }
  switch (f.format) {
    case 'string':
      return String(v);
    case 'int':
      return Number.isInteger(Number(v)) ? Number(v) : undefined;
    case 'date':
      if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  }
  const ms = instantOf(v);
  if (!Number.isFinite(ms)) return undefined;
  switch (f.format) {
    case 'datetime':
      return chinaDateTime(ms);
    case 'date':
      return chinaDate(ms);
    case 'seconds':
      return Math.floor(ms / 1000);
    default:
      return ms;
  }
}

function mapFields(fields: ProfileField[], record: CanonicalRecord, out: Record<string, JsonValue>, problems: FieldProblem[]): void {
  for (const f of fields) {
    const raw = record[f.source];
    if (raw === null || raw === undefined || raw === '') {
      if (f.required) problems.push({ field: f.name, reason: 'required', message: { 'zh-CN': `必填字段 ${f.name} 为空`, en: `required field ${f.name} is empty` } });
      continue;
    }
    const v = formatValue(f, raw);
    if (v === undefined) {
      problems.push({ field: f.name, reason: 'bad_value', message: { 'zh-CN': `字段 ${f.name} 的值无法转换（${raw}）`, en: `field ${f.name} cannot take the value ${raw}` } });
      continue;
    }
    if (f.maxLength !== undefined && String(v).length > f.maxLength) {
      problems.push({ field: f.name, reason: 'too_long', message: { 'zh-CN': `字段 ${f.name} 超长（${String(v).length} > ${f.maxLength}）`, en: `field ${f.name} is too long (${String(v).length} > ${f.maxLength})` } });
      continue;
    }
    out[f.name] = v;
  }
}

/** One record in the platform's names, or why it can never be sent as it is. */
export function mapRecord(op: UploadOperationProfile, record: CanonicalRecord): Mapped {
  const header: Record<string, JsonValue> = {};
  const item: Record<string, JsonValue> = {};
  const problems: FieldProblem[] = [];
  mapFields(op.header, record, header, problems);
  mapFields(op.item, record, item, problems);
  return problems.length ? { ok: false, problems } : { ok: true, header, item };
}

/** The platform name of the field that identifies a record in answers. */
export const keyName = (op: UploadOperationProfile): string => op.item.find((f) => f.source === op.recordKey)!.name;

export interface Packed<Id> {
  /** The exact text to sign and send; null when nothing in the candidates can be sent. */
  paramText: string | null;
  sent: Array<{ id: Id; key: string }>;
  /** Records refused before sending (the platform would refuse them too). */
  refused: Array<{ id: Id; problems: FieldProblem[] }>;
}

const paramTooLong = (limit: number): FieldProblem => ({
  field: 'param',
  reason: 'too_long',
  message: { 'zh-CN': `单条记录的请求参数已超过 ${limit} 个字符，平台无法接收`, en: `one record alone exceeds the ${limit}-character param limit` },
});

/**
 * Packs one call: records sharing the first record's header, in order, until the operation's
 * record limit or the envelope's param length (the guide's table: 1024) would be exceeded.
 * Records with other headers wait for their own call.
 */
export function packCall<Id>(op: UploadOperationProfile, paramLimit: number, candidates: Array<{ id: Id; record: CanonicalRecord }>): Packed<Id> {
  const sent: Packed<Id>['sent'] = [];
  const refused: Packed<Id>['refused'] = [];
  let header: Record<string, JsonValue> | undefined;
  let headerKey = '';
  const items: Array<Record<string, JsonValue>> = [];
  let length = 0;
  for (const c of candidates) {
    if (sent.length >= op.maxRecords) break;
    const m = mapRecord(op, c.record);
    if (!m.ok) {
      refused.push({ id: c.id, problems: m.problems });
      continue;
    }
    const key = String(m.item[keyName(op)]);
    // A key twice in one call would make a per-record failure ambiguous: the second waits.
    if (sent.some((s) => s.key === key)) continue;
    const itemLength = JSON.stringify(m.item).length;
    if (!header) {
      const base = JSON.stringify({ ...m.header, [op.listField]: [] }).length;
      if (base + itemLength > paramLimit) {
        refused.push({ id: c.id, problems: [paramTooLong(paramLimit)] });
        continue;
      }
      header = m.header;
      headerKey = JSON.stringify(m.header);
      length = base + itemLength;
    } else {
      if (JSON.stringify(m.header) !== headerKey) continue;
      if (length + 1 + itemLength > paramLimit) break;
      length += 1 + itemLength;
    }
    items.push(m.item);
    sent.push({ id: c.id, key });
  }
  return { paramText: header ? JSON.stringify({ ...header, [op.listField]: items }) : null, sent, refused };
}
