import { AI_LENGTH_BY_PREFIX, FAST_TEXT, lookupAiAt } from './ai-table.js';
import { GS, GS_CHAR, type Gs1Element, type Gs1Error, type Gs1ParseResult } from './gs1-types.js';
import type { LintContext } from './gs1-linters.js';
import type { ReasonCode } from './reasons.js';
import { scanTextField, TEXT_MAY_SWALLOW, validateAiData } from './gs1-validate.js';

function unknownAi(s: string, pos: number, end: number): Gs1Error {
  if (end - pos < 2) return { reason: 'gs1_truncated', ai: s.slice(pos, end) };
  // Name as many digits as an AI with this start would have (two when none exists).
  const a = s.charCodeAt(pos) - 48;
  const b = s.charCodeAt(pos + 1) - 48;
  const len = a >= 0 && a <= 9 && b >= 0 && b <= 9 ? AI_LENGTH_BY_PREFIX[a * 10 + b]! || 2 : 2;
  return { reason: 'gs1_unknown_ai', ai: s.slice(pos, Math.min(pos + len, end)) };
}

/**
 * Parses a raw GS1 element string (GenSpecs §7.8): AI, data, and FNC1 (GS) after every
 * variable-length field except the last. Stray separators (doubled, after a predefined-length
 * field, trailing) are skipped, as scanners and printers emit them.
 */
export function parseElementString(s: string, ctx: LintContext, start = 0, end = s.length): Gs1ParseResult {
  const elements: Gs1Element[] = [];
  let pos = start;
  while (pos < end) {
    if (s.charCodeAt(pos) === GS) {
      pos++;
      continue;
    }
    const spec = lookupAiAt(s, pos, end);
    if (spec === undefined) return { elements, error: unknownAi(s, pos, end) };
    const dStart = pos + spec.ai.length;
    let dEnd: number;
    if (spec.predefined) {
      dEnd = dStart + spec.maxLength;
      if (dEnd > end) {
        const reason = dStart === end ? 'gs1_truncated' : 'gs1_value_too_short';
        return { elements, error: { reason, ai: spec.ai, value: s.slice(dStart, end) } };
      }
    } else {
      const g = s.indexOf(GS_CHAR, dStart);
      dEnd = g < 0 || g > end ? end : g;
    }
    const value = s.slice(dStart, dEnd);
    let r: ReasonCode | null;
    // Only variable-length data can hide another AI; a fixed length would be broken by it.
    let delimited = !spec.predefined && spec.minLength !== spec.maxLength;
    const len = dEnd - dStart;
    if (spec.fast === FAST_TEXT && len > 0 && len <= spec.maxLength) {
      const scan = scanTextField(s, dStart, dEnd);
      r = scan < 0 ? 'gs1_bad_character' : null;
      delimited = (scan & TEXT_MAY_SWALLOW) !== 0;
    } else {
      r = validateAiData(spec, s, dStart, dEnd, ctx);
    }
    elements.push({ ai: spec.ai, value, spec, delimited });
    if (r !== null) return { elements, error: { reason: dStart === end && !spec.predefined ? 'gs1_truncated' : r, ai: spec.ai, value } };
    pos = dEnd;
  }
  return { elements };
}
