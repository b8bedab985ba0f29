import { allInSet, CSET64 } from './charset.js';
import { hasValidGs1CheckDigitAt, hasValidGs1CheckPairAt } from './check-digit.js';
import { isTwoDigitBelow, isValidYymmdd, parseYyyymmdd } from './gs1-dates.js';
import type { ReasonCode } from './reasons.js';

/** Context a linter may need; `year()` is lazy so scans without dates never read the clock. */
export interface LintContext {
  year(): number;
}

/** Checks s[start, end) — one component of an AI's data — and names what is wrong, or null. */
export type Linter = (s: string, start: number, end: number, ctx: LintContext) => ReasonCode | null;

const ok = null;

function digitsValue(s: string, start: number, end: number): number {
  let v = 0;
  for (let i = start; i < end; i++) v = v * 10 + (s.charCodeAt(i) - 48);
  return v;
}

function hhmi(s: string, i: number): ReasonCode | null {
  return isTwoDigitBelow(s, i, 24) && isTwoDigitBelow(s, i + 2, 60) ? ok : 'gs1_invalid_time';
}

/** ISO 13616 IBAN: country letters, two check digits, mod 97 of the rearranged number is 1. */
function iban(s: string, start: number, end: number): ReasonCode | null {
  const n = end - start;
  if (n < 5) return 'gs1_invalid_value';
  let rem = 0;
  for (let k = 0; k < n; k++) {
    const i = start + ((k + 4) % n);
    const c = s.charCodeAt(i);
    const pos = (k + 4) % n;
    if (pos < 2 && !(c >= 65 && c <= 90)) return 'gs1_invalid_value';
    if (pos >= 2 && pos < 4 && !(c >= 48 && c <= 57)) return 'gs1_invalid_value';
    if (c >= 48 && c <= 57) rem = (rem * 10 + (c - 48)) % 97;
    else if (c >= 65 && c <= 90) rem = (rem * 100 + (c - 55)) % 97;
    else return 'gs1_invalid_value';
  }
  return rem === 1 ? ok : 'gs1_check_digit';
}

let regionNames: Intl.DisplayNames | null | undefined;
/** ISO 3166 alpha-2 through ICU's region list (full ICU ships with Node); shape only without it. */
function isRegion(code: string): boolean {
  if (regionNames === undefined) {
    try {
      regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
    } catch {
      regionNames = null;
    }
  }
  // user-assigned and exceptionally reserved codes that ICU still names
  if (/^(AA|Q[M-Z]|X[A-Z]|ZZ|EU|EZ|UN)$/.test(code)) return false;
  if (regionNames === null) return true;
  try {
    return regionNames.of(code) !== undefined;
  } catch {
    return false;
  }
}

/** Linters of the GS1 Barcode Syntax Tests. Absent names (key, packagetype, coupon…) are not checked. */
export const LINTERS: Readonly<Record<string, Linter>> = {
  csum: (s, a, b) => (hasValidGs1CheckDigitAt(s, a, b) ? ok : 'gs1_check_digit'),
  csumalpha: (s, a, b) => (hasValidGs1CheckPairAt(s, a, b) ? ok : 'gs1_check_digit'),
  yymmd0: (s, a, _b, ctx) => (isValidYymmdd(s, a, ctx.year(), true) ? ok : 'gs1_invalid_date'),
  yymmdd: (s, a, _b, ctx) => (isValidYymmdd(s, a, ctx.year(), false) ? ok : 'gs1_invalid_date'),
  yyyymmdd: (s, a) => (parseYyyymmdd(s, a) ? ok : 'gs1_invalid_date'),
  yyyymmd0: (s, a) => (parseYyyymmdd(s, a, true) ? ok : 'gs1_invalid_date'),
  hhmi: (s, a) => hhmi(s, a),
  hh: (s, a) => (isTwoDigitBelow(s, a, 24) ? ok : 'gs1_invalid_time'),
  mi: (s, a) => (isTwoDigitBelow(s, a, 60) ? ok : 'gs1_invalid_time'),
  ss: (s, a) => (isTwoDigitBelow(s, a, 60) ? ok : 'gs1_invalid_time'),
  yesno: (s, a) => (s[a] === '0' || s[a] === '1' ? ok : 'gs1_invalid_value'),
  zero: (s, a) => (s[a] === '0' ? ok : 'gs1_invalid_value'),
  nonzero: (s, a, b) => (digitsValue(s, a, b) !== 0 ? ok : 'gs1_invalid_value'),
  winding: (s, a) => (s[a] === '0' || s[a] === '1' || s[a] === '9' ? ok : 'gs1_invalid_value'),
  iso5218: (s, a) => ('0129'.includes(s[a] ?? '-') ? ok : 'gs1_invalid_value'),
  hyphen: (s, a, b) => (b - a === 1 && s[a] === '-' ? ok : 'gs1_invalid_value'),
  hasnondigit: (s, a, b) => {
    for (let i = a; i < b; i++) if (s.charCodeAt(i) < 48 || s.charCodeAt(i) > 57) return ok;
    return 'gs1_invalid_value';
  },
  nozeroprefix: (s, a, b) => (b - a === 1 || s[a] !== '0' ? ok : 'gs1_invalid_value'),
  importeridx: (s, a, b) => (allInSet(s, a, b, CSET64) ? ok : 'gs1_invalid_value'),
  pieceoftotal: (s, a) => {
    const piece = digitsValue(s, a, a + 2);
    const total = digitsValue(s, a + 2, a + 4);
    return piece > 0 && total > 0 && piece <= total ? ok : 'gs1_invalid_value';
  },
  // §3.8.16: latitude stored as (lat + 90) × 10^7, longitude as (lon + 180) mod 360 × 10^7
  latitude: (s, a, b) => (digitsValue(s, a, b) <= 1_800_000_000 ? ok : 'gs1_invalid_value'),
  longitude: (s, a, b) => (digitsValue(s, a, b) <= 3_599_999_999 ? ok : 'gs1_invalid_value'),
  mediatype: (s, a, b) => {
    const v = digitsValue(s, a, b);
    return (v >= 1 && v <= 10) || v >= 80 ? ok : 'gs1_invalid_value';
  },
  posinseqslash: (s, a) => {
    const n = s.charCodeAt(a) - 48;
    const m = s.charCodeAt(a + 2) - 48;
    return s[a + 1] === '/' && n >= 1 && m <= 9 && n <= m ? ok : 'gs1_invalid_value';
  },
  pcenc: (s, a, b) => {
    for (let i = s.indexOf('%', a); i >= 0 && i < b; i = s.indexOf('%', i + 1)) {
      if (i + 2 >= b || !/^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) return 'gs1_invalid_value';
    }
    return ok;
  },
  iso3166alpha2: (s, a, b) => (b - a === 2 && /^[A-Z]{2}$/.test(s.slice(a, b)) && isRegion(s.slice(a, b)) ? ok : 'gs1_invalid_value'),
  iban,
};

/** Linter names in the table that are deliberately not checked (see docs/decoding.md). */
export const UNCHECKED_LINTERS = new Set(['key', 'keyoff1', 'packagetype', 'couponcode', 'couponposoffer', 'iso3166', 'iso3166999', 'iso4217']);
