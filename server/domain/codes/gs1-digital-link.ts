import { lookupAi, type AiSpec } from './ai-table.js';
import { allDigits } from './charset.js';
import type { Gs1Element, Gs1Error, Gs1ParseResult } from './gs1-types.js';
import type { LintContext } from './gs1-linters.js';
import { validateAiData } from './gs1-validate.js';

/** Convenience names of GS1 Digital Link 1.1, still printed by older generators. */
const ALIASES: Readonly<Record<string, string>> = {
  gtin: '01', itip: '8006', cpv: '22', lot: '10', ser: '21', tpx: '235', sscc: '00', gln: '414',
  party: '417', glnx: '254', gdti: '253', gcn: '255', ginc: '401', gsin: '402', grai: '8003',
  giai: '8004', cpid: '8010', cpsn: '8011', gmn: '8013', gsrnp: '8017', gsrn: '8018', srin: '8019',
  refno: '8020', payTo: '415',
};

function specOf(segment: string): AiSpec | undefined {
  if (allDigits(segment)) return lookupAi(segment);
  const alias = ALIASES[segment];
  return alias === undefined ? undefined : lookupAi(alias);
}

function decode(raw: string): string | undefined {
  if (raw.indexOf('%') < 0) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/** Qualifiers must follow one of the key's allowed sequences, in order (GS1 Digital Link §4.6). */
function qualifiersInOrder(key: AiSpec, quals: string[]): boolean {
  if (quals.length === 0) return true;
  return key.dlQualifiers.some((seq) => {
    let k = 0;
    for (const q of quals) {
      while (k < seq.length && seq[k] !== q) k++;
      if (k === seq.length) return false;
      k++;
    }
    return true;
  });
}

/** Index of the path segment holding the primary key, or -1; `hasKey` tells whether one appeared at all. */
function findPrimaryKey(segs: string[]): { index: number; hasKey: boolean } {
  let hasKey = false;
  for (let i = 0; i + 1 < segs.length; i++) {
    if (!specOf(segs[i]!)?.dlPrimaryKey) continue;
    hasKey = true;
    if ((segs.length - i) % 2 !== 0) continue;
    let pairs = true;
    for (let j = i + 2; j < segs.length && pairs; j += 2) pairs = specOf(segs[j]!) !== undefined;
    if (pairs) return { index: i, hasKey };
  }
  return { index: -1, hasKey: hasKey || (segs.length > 0 && specOf(segs[segs.length - 1]!)?.dlPrimaryKey === true) };
}

function bad(detail: string, elements: Gs1Element[] = []): Gs1ParseResult {
  return { elements, error: { reason: 'gs1_bad_digital_link', detail } };
}

/**
 * Parses a GS1 Digital Link URI: path `/{key}/{value}/{qualifier}/{value}…` after any path prefix,
 * then query attributes `?17=281231&10=AB12`; values are percent-decoded; non-AI query keys
 * (linkType …) are ignored. Returns null when the URI carries no GS1 primary key at all.
 */
export function parseDigitalLink(uri: string, ctx: LintContext): Gs1ParseResult | null {
  const schemeEnd = uri.indexOf('://');
  const pathStart = schemeEnd < 0 ? -1 : uri.indexOf('/', schemeEnd + 3);
  if (pathStart < 0) return null;
  const hashAt = uri.indexOf('#', pathStart);
  const uriEnd = hashAt < 0 ? uri.length : hashAt;
  const qAt = uri.indexOf('?', pathStart);
  const pathEnd = qAt < 0 || qAt > uriEnd ? uriEnd : qAt;
  const segs = uri.slice(pathStart, pathEnd).split('/').filter((x) => x !== '');
  const { index, hasKey } = findPrimaryKey(segs);
  if (index < 0) return hasKey ? bad('path is not key/value pairs') : null;

  const elements: Gs1Element[] = [];
  const add = (spec: AiSpec, raw: string): Gs1Error | undefined => {
    let value = decode(raw);
    if (value === undefined) return { reason: 'gs1_bad_digital_link', detail: `bad percent-encoding in ${raw}` };
    // GS1 Digital Link allows GTIN-8/12/13 in the URI; the element string always holds 14 digits.
    if (spec.ai === '01' && (value.length === 8 || value.length === 12 || value.length === 13) && allDigits(value)) {
      value = value.padStart(14, '0');
    }
    elements.push({ ai: spec.ai, value, spec, delimited: false });
    const r = validateAiData(spec, value, 0, value.length, ctx);
    return r === null ? undefined : { reason: r, ai: spec.ai, value };
  };

  const key = specOf(segs[index]!)!;
  const quals: string[] = [];
  for (let i = index; i < segs.length; i += 2) {
    const spec = specOf(segs[i]!)!;
    if (i > index) quals.push(spec.ai);
    const err = add(spec, segs[i + 1]!);
    if (err) return { elements, error: err };
  }
  if (!qualifiersInOrder(key, quals)) return bad(`qualifiers ${quals.join('/')} not allowed after ${key.ai}`, elements);

  if (qAt >= 0 && qAt < uriEnd) {
    for (const pair of uri.slice(qAt + 1, uriEnd).split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const k = eq < 0 ? pair : pair.slice(0, eq);
      if (!allDigits(k)) continue;
      const spec = lookupAi(k);
      if (spec === undefined) return { elements, error: { reason: 'gs1_unknown_ai', ai: k } };
      const err = add(spec, eq < 0 ? '' : pair.slice(eq + 1));
      if (err) return { elements, error: err };
    }
  }
  return { elements };
}
