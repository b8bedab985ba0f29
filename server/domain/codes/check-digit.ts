import { allDigits, CSET82_CHARS } from './charset.js';

/**
 * GS1 mod-10 (GS1 General Specifications §7.9.1): from the rightmost data digit, weights 3,1,3,1…;
 * check = (10 − sum mod 10) mod 10. Works for every GS1 key length (GTIN-8…SSCC, GSIN, GSRN).
 */
export function gs1CheckDigitAt(s: string, start: number, end: number): number {
  let sum = 0;
  let w3 = true;
  for (let i = end - 1; i >= start; i--) {
    const d = s.charCodeAt(i) - 48;
    sum += w3 ? d * 3 : d;
    w3 = !w3;
  }
  return (10 - (sum % 10)) % 10;
}

/** s[start, end) is all digits and its last digit is the GS1 mod-10 check digit of the others. */
export function hasValidGs1CheckDigitAt(s: string, start: number, end: number): boolean {
  if (end - start < 2 || !allDigits(s, start, end)) return false;
  return gs1CheckDigitAt(s, start, end - 1) === s.charCodeAt(end - 1) - 48;
}

/** Check digit for a digit string without its check digit, e.g. `gs1CheckDigit('400638133393') === 1`. */
export function gs1CheckDigit(dataDigits: string): number {
  if (!allDigits(dataDigits)) throw new RangeError('gs1CheckDigit: digits only');
  return gs1CheckDigitAt(dataDigits, 0, dataDigits.length);
}

export function hasValidGs1CheckDigit(s: string): boolean {
  return hasValidGs1CheckDigitAt(s, 0, s.length);
}

/** GTIN-8, GTIN-12 (UPC-A), GTIN-13 (EAN-13) or GTIN-14 with a correct check digit. */
export function isValidGtin(s: string): boolean {
  const n = s.length;
  return (n === 8 || n === 12 || n === 13 || n === 14) && hasValidGs1CheckDigit(s);
}

export function isValidSscc(s: string): boolean {
  return s.length === 18 && hasValidGs1CheckDigit(s);
}

export function isValidGln(s: string): boolean {
  return s.length === 13 && hasValidGs1CheckDigit(s);
}

/** GTIN-8/12/13/14 left-padded to the 14 digits GS1 stores; undefined when not a GTIN length or not digits. */
export function toGtin14(s: string): string | undefined {
  const n = s.length;
  if ((n !== 8 && n !== 12 && n !== 13 && n !== 14) || !allDigits(s)) return undefined;
  return n === 14 ? s : '00000000000000'.slice(n) + s;
}

const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83];
const CSET32 = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/**
 * GS1 check character pair (§7.9.5), used by GMN (8013) and MUDI (8014): CSET 82 values weighted
 * by primes (the rightmost data character by 2), sum mod 1021, written as two CSET 32 characters.
 */
export function gs1CheckPairAt(s: string, start: number, end: number): string | undefined {
  const n = end - start;
  if (n < 1 || n > PRIMES.length) return undefined;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = CSET82_CHARS.indexOf(s.charAt(start + i));
    if (v < 0) return undefined;
    sum += v * PRIMES[n - 1 - i]!;
  }
  const r = sum % 1021;
  return CSET32.charAt(r >> 5) + CSET32.charAt(r & 31);
}

export function hasValidGs1CheckPairAt(s: string, start: number, end: number): boolean {
  if (end - start < 3) return false;
  const pair = gs1CheckPairAt(s, start, end - 2);
  return pair !== undefined && s.charCodeAt(end - 2) === pair.charCodeAt(0) && s.charCodeAt(end - 1) === pair.charCodeAt(1);
}
