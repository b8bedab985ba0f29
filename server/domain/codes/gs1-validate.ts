import type { AiSpec } from './ai-table.js';
import { allInSet } from './charset.js';
import type { LintContext } from './gs1-linters.js';
import type { ReasonCode } from './reasons.js';

function digitsOnly(s: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Checks the data s[start, end) of one AI against its components: lengths, character set and
 * content rules (check digits, dates …). Returns the reason of the first failure, or null.
 */
export function validateAiData(spec: AiSpec, s: string, start: number, end: number, ctx: LintContext): ReasonCode | null {
  const len = end - start;
  if (len === 0) return 'gs1_empty_value';
  if (len > spec.maxLength) return 'gs1_value_too_long';
  if (len < spec.minLength) return 'gs1_value_too_short';
  if (spec.plainNumeric) return digitsOnly(s, start, end) ? null : 'gs1_not_numeric';
  let pos = start;
  const comps = spec.components;
  for (let k = 0; k < comps.length; k++) {
    const c = comps[k]!;
    if (pos >= end) {
      if (c.optional) break;
      return 'gs1_value_too_short';
    }
    // Only the last component may vary in length, so a fixed one takes exactly its size.
    const cEnd = c.min === c.max ? pos + c.max : end;
    if (cEnd > end) return 'gs1_value_too_short';
    if (cEnd - pos > c.max) return 'gs1_value_too_long';
    if (c.cset === 'N') {
      if (!digitsOnly(s, pos, cEnd)) return 'gs1_not_numeric';
    } else if (!allInSet(s, pos, cEnd, c.set)) {
      return 'gs1_bad_character';
    }
    for (let j = 0; j < c.linters.length; j++) {
      const r = c.linters[j]!(s, pos, cEnd, ctx);
      if (r !== null) return r === 'gs1_check_digit' ? spec.checkReason : r;
    }
    pos = cEnd;
  }
  return pos < end ? 'gs1_value_too_long' : null;
}
