import { FAST_DATE0, FAST_KEY, FAST_TEXT, type AiSpec } from './ai-table.js';
import { allInSet, CHAR_CLASS, CSET82, TEXT_CLASS, TEXT_LT } from './charset.js';
import { SWALLOW_PREFIX } from './gs1-swallow-candidates.js';
import { isValidYymmdd } from './gs1-dates.js';
import type { LintContext } from './gs1-linters.js';
import type { ReasonCode } from './reasons.js';

function digitsOnly(s: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** scanTextField: two adjacent digits that could start a swallowed AI — run the swallow check. */
export const TEXT_MAY_SWALLOW = 1;
/** scanTextField: a '<' that may open a typed-out `<GS>`. */
export const TEXT_HAS_LT = 2;

/**
 * CSET 82 check of a plain text field in one pass, also reporting what later checks need
 * (TEXT_* bits), or -1 for a character outside CSET 82.
 */
export function scanTextField(s: string, start: number, end: number): number {
  let found = 0;
  let prev = -1;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    const cls = c < 128 ? TEXT_CLASS[c]! : 0;
    if (cls === 0) return -1;
    if (cls === 1) {
      prev = -1;
    } else if (cls === TEXT_LT) {
      prev = -1;
      found |= TEXT_HAS_LT;
    } else {
      const d = cls - 2;
      if (prev >= 0 && SWALLOW_PREFIX[prev * 10 + d] === 1 && i > start + 1) found |= TEXT_MAY_SWALLOW;
      prev = d;
    }
  }
  return found;
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
  switch (spec.fast) {
    case FAST_KEY: {
      // Digits and GS1 mod-10 in one pass: weights 3,1,3… from the rightmost data digit.
      let sum = 0;
      let w3 = true;
      for (let i = end - 2; i >= start; i--) {
        const d = s.charCodeAt(i) - 48;
        if (d < 0 || d > 9) return 'gs1_not_numeric';
        sum += w3 ? d * 3 : d;
        w3 = !w3;
      }
      const check = s.charCodeAt(end - 1) - 48;
      if (check < 0 || check > 9) return 'gs1_not_numeric';
      return (10 - (sum % 10)) % 10 === check ? null : spec.checkReason;
    }
    case FAST_DATE0:
      if (!digitsOnly(s, start, end)) return 'gs1_not_numeric';
      return isValidYymmdd(s, start, ctx.year(), true) ? null : 'gs1_invalid_date';
    case FAST_TEXT:
      for (let i = start; i < end; i++) {
        const c = s.charCodeAt(i);
        if (c > 127 || (CHAR_CLASS[c]! & CSET82) === 0) return 'gs1_bad_character';
      }
      return null;
  }
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
