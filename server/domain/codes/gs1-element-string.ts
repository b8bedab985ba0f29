import { lookupAiAt } from './ai-table.js';
import { GS, GS_CHAR, type Gs1Element, type Gs1Error, type Gs1ParseResult } from './gs1-types.js';
import type { LintContext } from './gs1-linters.js';
import { validateAiData } from './gs1-validate.js';

function unknownAi(s: string, pos: number, end: number): Gs1Error {
  if (end - pos < 2) return { reason: 'gs1_truncated', ai: s.slice(pos, end) };
  let n = 0;
  while (n < 4 && pos + n < end && s.charCodeAt(pos + n) >= 48 && s.charCodeAt(pos + n) <= 57) n++;
  return { reason: 'gs1_unknown_ai', ai: s.slice(pos, pos + Math.max(n, 2)) };
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
    elements.push({ ai: spec.ai, value, spec, delimited: !spec.predefined });
    const r = validateAiData(spec, s, dStart, dEnd, ctx);
    if (r !== null) return { elements, error: { reason: dStart === end && !spec.predefined ? 'gs1_truncated' : r, ai: spec.ai, value } };
    pos = dEnd;
  }
  return { elements };
}
