import type { ProfileField } from '../../nhsa/profile.schema.js';
import { isCalendarDate, isChinaDateTime } from './clock.js';

export type FieldValue = string | number;

export const isAbsent = (v: unknown): boolean => v === undefined || v === null || v === '';

/**
 * Why a value cannot stand in this field, in Chinese as the platform would say it, or null.
 * Beyond required and maxLength the sandbox also checks the profile's format and value list:
 * a client that sends `2026/01/02` or an unmapped status must fail here, not in production.
 */
export function fieldProblem(f: ProfileField, value: unknown): string | null {
  if (isAbsent(value)) return f.required ? `必填字段 ${f.name} 为空` : null;
  if (typeof value !== 'string' && typeof value !== 'number') return `字段 ${f.name} 类型错误`;
  const text = String(value);
  if (f.maxLength !== undefined && text.length > f.maxLength) return `字段 ${f.name} 超长（${text.length} > ${f.maxLength}）`;
  if (f.values && !Object.values(f.values).some((v) => String(v) === text)) return `字段 ${f.name} 取值无效（${text}）`;
  switch (f.format) {
    case 'int':
    case 'seconds':
    case 'millis':
      return /^-?\d+$/.test(text) ? null : `字段 ${f.name} 应为整数（${text}）`;
    case 'datetime':
      return isChinaDateTime(text) ? null : `字段 ${f.name} 应为 yyyy-MM-dd HH:mm:ss（${text}）`;
    case 'date':
      return isCalendarDate(text) ? null : `字段 ${f.name} 应为 yyyy-MM-dd（${text}）`;
    default:
      return null;
  }
}

/** Copies the fields that are present; callers have already checked them with fieldProblem. */
export function pick(fields: ProfileField[], source: Record<string, unknown>, into: Record<string, FieldValue>): void {
  for (const f of fields) {
    const v = source[f.name];
    if (!isAbsent(v) && (typeof v === 'string' || typeof v === 'number')) into[f.name] = v;
  }
}
