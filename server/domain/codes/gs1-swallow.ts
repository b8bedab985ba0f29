import { AI_SPECS, lookupAiAt, type AiSpec } from './ai-table.js';
import type { LintContext } from './gs1-linters.js';
import { validateAiData } from './gs1-validate.js';

export interface Swallow {
  /** The variable-length AI whose data looks too big. */
  ai: string;
  /** The AIs that seem to hide in it, in order, and the text they start at. */
  found: string[];
  text: string;
  /**
   * Strong evidence: a hidden check-digit key or an expiry date that the scan otherwise lacks —
   * chance alone rarely produces those. Weak: a hidden (10) or (21) that the scan lacks.
   */
  strong: boolean;
}

import { LIKELY_NEXT, SWALLOW_PREFIX } from './gs1-swallow-candidates.js';

function isStrongEvidence(spec: AiSpec): boolean {
  if (spec.ai === '17' || spec.ai === '7003') return true;
  return spec.components.some((c) => c.linterNames.includes('csum') || c.linterNames.includes('csumalpha'));
}

// Per-AI flags in typed arrays: this runs for every character of every batch and serial.
const CANDIDATE = new Uint8Array(AI_SPECS.length);
const STRONG = new Uint8Array(AI_SPECS.length);
for (const spec of AI_SPECS) {
  CANDIDATE[spec.index] = LIKELY_NEXT.has(spec.ai) ? 1 : 0;
  STRONG[spec.index] = isStrongEvidence(spec) ? 1 : 0;
}

/** Does v[p, end) parse completely as valid element strings (no separators), none of them already present? */
function probe(v: string, p: number, present: readonly string[], ctx: LintContext): { ais: string[]; strong: boolean } | null {
  const end = v.length;
  const ais: string[] = [];
  let strong = false;
  let pos = p;
  while (pos < end) {
    const spec = lookupAiAt(v, pos, end);
    if (spec === undefined || present.includes(spec.ai) || ais.includes(spec.ai)) return null;
    const dStart = pos + spec.ai.length;
    const dEnd = spec.predefined ? dStart + spec.maxLength : end;
    if (dStart >= end || dEnd > end || validateAiData(spec, v, dStart, dEnd, ctx) !== null) return null;
    ais.push(spec.ai);
    if (STRONG[spec.index] === 1) strong = true;
    pos = dEnd;
  }
  return { ais, strong };
}

/**
 * DOMAIN.md §2.2: a variable-length field that swallowed what looks like further AIs (a scanner
 * in keyboard mode dropped FNC1) is reported, never silently accepted. Prefers strong evidence.
 */
export function findSwallow(ai: string, v: string, present: readonly string[], ctx: LintContext): Swallow | null {
  let weak: Swallow | null = null;
  let prev = v.charCodeAt(1) - 48;
  for (let p = 1; p + 3 <= v.length; p++) {
    const d1 = prev;
    const d2 = v.charCodeAt(p + 1) - 48;
    prev = d2;
    if (d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9 || SWALLOW_PREFIX[d1 * 10 + d2] === 0) continue;
    const spec = lookupAiAt(v, p, v.length);
    if (spec === undefined || CANDIDATE[spec.index] === 0 || present.includes(spec.ai)) continue;
    const r = probe(v, p, present, ctx);
    if (r === null) continue;
    const found: Swallow = { ai, found: r.ais, text: v.slice(p), strong: r.strong };
    if (r.strong) return found;
    // Without strong evidence only the classic drop between batch and serial is worth a warning;
    // other AIs turn up by chance in random serials far too often.
    if (weak === null && (spec.ai === '10' || spec.ai === '21')) weak = found;
  }
  return weak;
}

export function describeSwallow(s: Swallow): string {
  return `(${s.ai}) ⊃ ${s.found.map((a) => `(${a})`).join('')} "${s.text.length > 40 ? `${s.text.slice(0, 37)}…` : s.text}"`;
}
