/**
 * GS1 date fields as calendar dates (never UTC timestamps: a pack expires on a day, not an instant).
 */

function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  // Written so that NaN (reading past the end) also fails.
  if (!(a >= 0 && a <= 9 && b >= 0 && b <= 9)) return -1;
  return a * 10 + b;
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * GS1 General Specifications §7.12: a two-digit year YY is placed in the century that puts it
 * closest to the current year — up to 49 years ahead and 50 years back.
 */
export function resolveGs1Year(yy: number, currentYear: number): number {
  const century = currentYear - (currentYear % 100);
  const diff = yy - (currentYear % 100);
  if (diff >= 51) return century - 100 + yy;
  if (diff <= -50) return century + 100 + yy;
  return century + yy;
}

const PAD2 = Array.from({ length: 100 }, (_, n) => (n < 10 ? `0${n}` : `${n}`));

export function isoDate(y: number, m: number, d: number): string {
  return `${y}-${PAD2[m]!}-${PAD2[d]!}`;
}

/** Validation only (no string built): is YYMMDD at s[i..i+6) a real date? */
export function isValidYymmdd(s: string, i: number, currentYear: number, dayZero: boolean): boolean {
  const yy = two(s, i);
  const mm = two(s, i + 2);
  const dd = two(s, i + 4);
  if (yy < 0 || mm < 1 || mm > 12 || dd < 0) return false;
  if (dd === 0) return dayZero;
  return dd <= 28 || dd <= daysInMonth(resolveGs1Year(yy, currentYear), mm);
}

let cachedYear = -1;
let cachedUntil = 0;
let calls = 0;

/**
 * The local calendar year. Reading the clock costs as much as decoding a field, so it is read
 * every 256th call and whenever a year boundary may have passed since the last read.
 */
export function currentYear(): number {
  if (cachedYear < 0 || (++calls & 255) === 0) {
    const t = Date.now();
    if (t >= cachedUntil || cachedYear < 0) {
      const d = new Date(t);
      cachedYear = d.getFullYear();
      cachedUntil = Math.min(new Date(cachedYear + 1, 0, 1).getTime(), t + 60_000);
    }
  }
  return cachedYear;
}

/**
 * YYMMDD at s[i..i+6) → 'YYYY-MM-DD', or undefined when not a real date. With `dayZero` (GS1
 * "yymmd0" fields such as expiry 17) DD = 00 means the last day of that month.
 */
// Dates repeat all day long (one batch, one expiry), so formatted answers are kept in a small
// direct-mapped cache; it is emptied when the reference year changes the century window.
const CACHE_SIZE = 1024;
const cacheKey = new Int32Array(CACHE_SIZE).fill(-1);
const cacheVal: string[] = new Array<string>(CACHE_SIZE).fill('');
let cacheYear = -1;

export function parseYymmdd(s: string, i: number, currentYear: number, dayZero: boolean): string | undefined {
  const yy = two(s, i);
  const mm = two(s, i + 2);
  const dd = two(s, i + 4);
  if (yy < 0 || mm < 1 || mm > 12 || dd < 0) return undefined;
  if (currentYear !== cacheYear) {
    cacheKey.fill(-1);
    cacheYear = currentYear;
  }
  const key = ((yy * 100 + mm) * 100 + dd) * 2 + (dayZero ? 1 : 0);
  const slot = key & (CACHE_SIZE - 1);
  if (cacheKey[slot] === key) return cacheVal[slot];
  const y = resolveGs1Year(yy, currentYear);
  const last = daysInMonth(y, mm);
  let iso: string | undefined;
  if (dd === 0) iso = dayZero ? isoDate(y, mm, last) : undefined;
  else iso = dd > last ? undefined : isoDate(y, mm, dd);
  if (iso !== undefined) {
    cacheKey[slot] = key;
    cacheVal[slot] = iso;
  }
  return iso;
}

/** YYYYMMDD at s[i..i+8) → 'YYYY-MM-DD' (AIs 7250/7251, ID-card birth dates). */
export function parseYyyymmdd(s: string, i: number, dayZero = false): string | undefined {
  const c = two(s, i);
  const yy = two(s, i + 2);
  const mm = two(s, i + 4);
  const dd = two(s, i + 6);
  if (c < 0 || yy < 0 || mm < 1 || mm > 12 || dd < 0) return undefined;
  const y = c * 100 + yy;
  const last = daysInMonth(y, mm);
  if (dd === 0) return dayZero ? isoDate(y, mm, last) : undefined;
  return dd > last ? undefined : isoDate(y, mm, dd);
}

/** HHMI (00–23, 00–59); `limit` is 24 for hours, 60 for minutes and seconds. */
export function isTwoDigitBelow(s: string, i: number, limit: number): boolean {
  const v = two(s, i);
  return v >= 0 && v < limit;
}
