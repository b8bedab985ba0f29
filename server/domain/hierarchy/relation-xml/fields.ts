import { isPackLevel, type PackLevel } from '../types.js';

/**
 * Attribute access that ignores name case: producers write `Version`/`version`,
 * `curCode`/`CurCode`, `packLayer`/`PackLayer` (DOMAIN.md §3). Keys are lower-cased once per tag.
 */
export function lowerKeys(attrs: Record<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const k in attrs) out.set(k.toLowerCase(), attrs[k]!);
  return out;
}

/** Trimmed value, or undefined when missing or empty (empty = absent, see RelationRecord). */
export function pick(attrs: Map<string, string>, lowerName: string): string | undefined {
  const v = attrs.get(lowerName)?.trim();
  return v === undefined || v === '' ? undefined : v;
}

/** packLayer: 1 unit … 3 case. */
export function parseLayer(text: string): PackLevel | undefined {
  if (!/^\d$/.test(text)) return undefined;
  const n = Number(text);
  return isPackLevel(n) ? n : undefined;
}

/** `yyyy-MM-dd` and a real calendar day (2023-02-30 is not). */
export function isIsoDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}
