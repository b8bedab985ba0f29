import type { z } from 'zod';
import type { ErrorCode } from '../../contract/errors.js';
import type { Localized } from '../../contract/views.js';
import { LocalizedAppError } from '../localized-error.js';

/**
 * One thing wrong with one field of a product or counterparty. The HTTP path turns the first into
 * a coded error (all of them as issues); an import turns each into a row of its error report.
 */
export interface Problem {
  /** Contract field name (`gtin1`, `uscc`, …); the importer maps it back to the file's header. */
  field: string;
  value?: string;
  code: ErrorCode;
  reason: Localized;
}

export function throwProblems(problems: readonly Problem[]): never {
  const first = problems[0]!;
  throw new LocalizedAppError(
    first.code,
    first.code === 'PRODUCT_IDENTIFIER_TAKEN' ? 409 : 400,
    first.reason,
    problems.map((p) => ({ path: p.field, messages: p.reason })),
  );
}

/** zod speaks English only; import reports are read on the dock floor in Chinese too. */
export function zodProblems(issues: readonly z.core.$ZodIssue[], input: Record<string, unknown>): Problem[] {
  return issues.map((i) => {
    const field = String(i.path[0] ?? '');
    const raw = input[field];
    return { field, ...(typeof raw === 'string' ? { value: raw } : {}), code: 'VALIDATION_FAILED' as const, reason: zodReason(i) };
  });
}

function zodReason(i: z.core.$ZodIssue): Localized {
  switch (i.code) {
    case 'too_small':
      return { 'zh-CN': '不能为空', en: 'must not be empty' };
    case 'too_big':
      return { 'zh-CN': `最多 ${String(i.maximum)} 个字符`, en: `at most ${String(i.maximum)} characters` };
    case 'invalid_value':
      return { 'zh-CN': `取值不正确，可选：${i.values.join('、')}`, en: `must be one of ${i.values.join(', ')}` };
    case 'invalid_type':
      return { 'zh-CN': '格式不正确', en: `expected ${i.expected}` };
    case 'invalid_format':
      return { 'zh-CN': '格式不正确', en: i.message };
    default:
      return /control characters/.test(i.message) ? { 'zh-CN': '不能包含控制字符', en: i.message } : { 'zh-CN': `内容不正确（${i.message}）`, en: i.message };
  }
}
