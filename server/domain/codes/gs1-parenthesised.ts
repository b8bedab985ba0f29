import { lookupAi } from './ai-table.js';
import type { Gs1Element, Gs1ParseResult } from './gs1-types.js';
import type { LintContext } from './gs1-linters.js';
import { validateAiData } from './gs1-validate.js';

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

/** Position of the ')' closing an AI opened at `open`, when 2–4 digits name a known AI. */
function knownAiClose(s: string, open: number, close: string): number {
  const end = s.indexOf(close, open + 1);
  if (end < 0 || end - open - 1 < 2 || end - open - 1 > 4) return -1;
  for (let i = open + 1; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
  }
  return lookupAi(s.slice(open + 1, end)) ? end : -1;
}

/**
 * Parses the human-readable form `(01)09506000134352(17)281231(10)AB12` as people type it:
 * spaces around fields ignored, `[01]` accepted, and a literal parenthesis inside data written
 * `\(` (the GS1 Syntax Engine convention; a bare `(` that does not open a known AI is kept too).
 */
export function parseParenthesised(s: string, ctx: LintContext): Gs1ParseResult {
  const elements: Gs1Element[] = [];
  const open = s[0] === '[' ? '[' : '(';
  const close = open === '[' ? ']' : ')';
  let pos = 0;
  while (pos < s.length) {
    while (pos < s.length && isSpace(s.charCodeAt(pos))) pos++;
    if (pos >= s.length) break;
    if (s[pos] !== open) return { elements, error: { reason: 'gs1_bad_parentheses', detail: `"${open}" expected at ${pos + 1}` } };
    const aiEnd = s.indexOf(close, pos + 1);
    if (aiEnd < 0) return { elements, error: { reason: 'gs1_bad_parentheses', detail: `"${close}" missing` } };
    const ai = s.slice(pos + 1, aiEnd).trim();
    if (!/^\d{2,4}$/.test(ai)) return { elements, error: { reason: 'gs1_bad_parentheses', detail: `"${ai}" is not an AI` } };
    const spec = lookupAi(ai);
    if (spec === undefined) return { elements, error: { reason: 'gs1_unknown_ai', ai } };
    let value = '';
    let i = aiEnd + 1;
    let runStart = i;
    for (; i < s.length; i++) {
      const ch = s[i];
      if (ch === '\\' && (s[i + 1] === open || s[i + 1] === close)) {
        value += s.slice(runStart, i);
        runStart = i + 1;
        i++;
      } else if (ch === open) {
        if (knownAiClose(s, i, close) >= 0) break;
        // An unescaped "(" before a digit must open an AI: report it rather than swallow it.
        const next = s.charCodeAt(i + 1);
        if (next >= 48 && next <= 57) {
          const shut = s.indexOf(close, i + 1);
          if (shut < 0) return { elements, error: { reason: 'gs1_bad_parentheses', detail: `"${close}" missing` } };
          return { elements, error: { reason: 'gs1_unknown_ai', ai: s.slice(i + 1, shut) } };
        }
      }
    }
    value = (value + s.slice(runStart, i)).trim();
    elements.push({ ai, value, spec, delimited: false });
    const r = validateAiData(spec, value, 0, value.length, ctx);
    if (r !== null) return { elements, error: { reason: r, ai, value } };
    pos = i;
  }
  if (elements.length === 0) return { elements, error: { reason: 'gs1_bad_parentheses', detail: 'no AI' } };
  return { elements };
}
