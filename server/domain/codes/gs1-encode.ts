import { lookupAi } from './ai-table.js';
import { GS_CHAR } from './gs1-types.js';

export interface Gs1Pair {
  ai: string;
  value: string;
}

function specOrThrow(ai: string) {
  const spec = lookupAi(ai);
  if (spec === undefined) throw new RangeError(`unknown AI ${ai}`);
  return spec;
}

/** Raw element string as a symbol carries it: FNC1 (GS) after each variable-length field but the last. */
export function encodeElementString(pairs: readonly Gs1Pair[]): string {
  let out = '';
  pairs.forEach((p, i) => {
    out += p.ai + p.value;
    if (i < pairs.length - 1 && !specOrThrow(p.ai).predefined) out += GS_CHAR;
  });
  return out;
}

/** Human-readable `(01)…(10)…`; a parenthesis inside data is written `\(` / `\)`. */
export function encodeParenthesised(pairs: readonly Gs1Pair[]): string {
  return pairs.map((p) => `(${p.ai})${p.value.replace(/[()]/g, '\\$&')}`).join('');
}

/**
 * GS1 Digital Link URI: the first primary key and its qualifiers (in their prescribed order) in
 * the path, every other AI as a query attribute.
 */
export function encodeDigitalLink(pairs: readonly Gs1Pair[], base = 'https://id.gs1.org'): string {
  const keyPair = pairs.find((p) => specOrThrow(p.ai).dlPrimaryKey);
  if (keyPair === undefined) throw new RangeError('no GS1 Digital Link primary key among the AIs');
  const key = specOrThrow(keyPair.ai);
  const present = new Set(pairs.map((p) => p.ai));
  const seq = key.dlQualifiers.find((s) => s.some((q) => present.has(q))) ?? [];
  const inPath = new Set([keyPair.ai, ...seq.filter((q) => present.has(q))]);
  let path = `/${keyPair.ai}/${encodeURIComponent(keyPair.value)}`;
  for (const q of seq) {
    const p = pairs.find((x) => x.ai === q);
    if (p) path += `/${q}/${encodeURIComponent(p.value)}`;
  }
  const query = pairs.filter((p) => !inPath.has(p.ai)).map((p) => `${p.ai}=${encodeURIComponent(p.value)}`);
  return base.replace(/\/$/, '') + path + (query.length ? `?${query.join('&')}` : '');
}
