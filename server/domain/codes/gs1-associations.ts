import { lookupAi, matchesPattern, type AiPattern } from './ai-table.js';

function present(ais: readonly string[], p: AiPattern): boolean {
  for (const a of ais) if (matchesPattern(a, p)) return true;
  return false;
}

/** GenSpecs §4.14.1 invalid pairs inside one symbol, e.g. (01) with (02), two net weights. */
export function findInvalidPair(ais: readonly string[]): { ai: string; other: string } | null {
  for (const ai of ais) {
    const spec = lookupAi(ai);
    if (spec === undefined) continue;
    for (const p of spec.excludes) {
      for (const other of ais) {
        // An AI never excludes itself even when its own pattern (e.g. 310n) matches it.
        if (other !== ai && matchesPattern(other, p)) return { ai, other };
      }
    }
  }
  return null;
}

/**
 * GenSpecs §4.14.2 mandatory associations, e.g. (21) needs (01). They apply across all symbols on
 * the item, and a logistic label may split its AIs over several barcodes, so a single scan that
 * misses one is reported as a warning, not rejected.
 */
export function findMissingRequirements(ais: readonly string[]): { ai: string; needs: string }[] {
  const missing: { ai: string; needs: string }[] = [];
  for (const ai of ais) {
    const spec = lookupAi(ai);
    if (spec === undefined) continue;
    for (const rule of spec.requires) {
      const ok = rule.some((group) => group.every((p) => present(ais, p)));
      if (!ok) {
        const needs = rule.map((g) => g.map((p) => `(${p.prefix}${'n'.repeat(p.length - p.prefix.length)})`).join('+')).join(' / ');
        missing.push({ ai, needs });
      }
    }
  }
  return missing;
}

