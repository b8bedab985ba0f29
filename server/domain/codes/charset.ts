/**
 * GS1 character sets (GS1 General Specifications §7.11): CSET 82 for "X" fields, CSET 39 for "Y"
 * fields (AI 8010), the URI-safe base64 set CSET 64 for "Z" (AI 8030). One lookup table with a bit
 * per set keeps validation to a single array read per character.
 */
export const NUM = 1;
export const CSET82 = 2;
export const CSET39 = 4;
export const CSET64 = 8;

export const CSET82_CHARS = '!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
export const CSET39_CHARS = '#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const CSET64_CHARS = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';

export const CHAR_CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) CHAR_CLASS[c] = NUM;
for (const ch of CSET82_CHARS) CHAR_CLASS[ch.charCodeAt(0)]! |= CSET82;
for (const ch of CSET39_CHARS) CHAR_CLASS[ch.charCodeAt(0)]! |= CSET39;
for (const ch of CSET64_CHARS) CHAR_CLASS[ch.charCodeAt(0)]! |= CSET64;

/** True when every char of s[start, end) belongs to `set` (a bit of CHAR_CLASS). */
export function allInSet(s: string, start: number, end: number, set: number): boolean {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c > 127 || (CHAR_CLASS[c]! & set) === 0) return false;
  }
  return true;
}

export function allDigits(s: string, start = 0, end = s.length): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

export function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * For CSET 82 text scanning: 0 not allowed, 1 allowed non-digit, 2–11 the digits 0–9 (so a
 * single read both validates and yields the digit), 12 for '<', which may open a typed-out
 * `<GS>` separator.
 */
export const TEXT_CLASS = new Uint8Array(128);
export const TEXT_LT = 12;
for (const ch of CSET82_CHARS) {
  const c = ch.charCodeAt(0);
  TEXT_CLASS[c] = c >= 48 && c <= 57 ? c - 46 : c === 60 ? TEXT_LT : 1;
}

/** CSET 82 except '<' (which may open a typed-out `<GS>`), as a native regular expression. */
export const CSET82_NO_LT_RE = /^[!"%-;=>?A-Z_a-z]+$/;

/** The same set plus FNC1, matched from `lastIndex` to the end of the text. */
export const CSET82_NO_LT_OR_GS_TO_END_RE = /[\x1d!"%-;=>?A-Z_a-z]*$/y;
