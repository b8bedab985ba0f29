import { AI_SPECS, lookupAiAt, type AiSpec } from './ai-table.js';
import type { Gs1Element } from './gs1-types.js';
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
   * chance alone rarely produces those. Weak: any other AI that would parse.
   */
  strong: boolean;
}

/**
 * AIs that really do follow a batch or serial on packs and cases. Others (internal 90–99 take any
 * text, so any suffix "parses") would turn ordinary serials into false alarms.
 */
const LIKELY_NEXT = new Set(['00', '01', '02', '03', '10', '11', '12', '13', '15', '16', '17', '20', '21', '22', '30', '37', '240', '241', '250', '251', '7003', '8006', '8008']);

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
export function findSwallow(el: Gs1Element, present: readonly string[], ctx: LintContext): Swallow | null {
  const v = el.value;
  let weak: Swallow | null = null;
  for (let p = 1; p + 3 <= v.length; p++) {
    const c = v.charCodeAt(p);
    if (c < 48 || c > 57) continue;
    const spec = lookupAiAt(v, p, v.length);
    if (spec === undefined || CANDIDATE[spec.index] === 0 || present.includes(spec.ai)) continue;
    const r = probe(v, p, present, ctx);
    if (r === null) continue;
    const found: Swallow = { ai: el.ai, found: r.ais, text: v.slice(p), strong: r.strong };
    if (r.strong) return found;
    weak ??= found;
  }
  return weak;
}

export function describeSwallow(s: Swallow): string {
  return `(${s.ai}) ⊃ ${s.found.map((a) => `(${a})`).join('')} "${s.text.length > 40 ? `${s.text.slice(0, 37)}…` : s.text}"`;
}
