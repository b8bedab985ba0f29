import { CHAR_CLASS, CSET39, CSET82 } from './charset.js';
import { GS, GS_CHAR } from './gs1-types.js';

export interface NormalizedScan {
  /** The data, ready to classify: AIM removed, trimmed, FNC1 as ASCII 29, ASCII digits and letters. */
  text: string;
  /** AIM symbology identifier such as `]d2`, when the scanner sent one. */
  aim?: string;
  /** An FNC1 separator occurs inside the data. */
  hasGs: boolean;
  /** Control characters other than FNC1 remain (misconfigured scanner, binary junk). */
  hasControl: boolean;
  /** A keyed-in trace code label (`药品标识码：8385793 序列号：0000879766660`) was joined to 20 digits. */
  keyedTrace: boolean;
}

/**
 * What keyboard-mode scanners and people type for FNC1: written-out escapes, Ctrl+] in caret
 * notation, the CP437 glyph of 0x1D (↔) that Alt+029 yields on Windows, and the Unicode GS symbol.
 */
const MANGLED_FNC1 = [
  '\\x1d', '\\x1D', '\\u001d', '\\u001D', '<GS>', '<gs>', '[GS]', '{GS}', '^]', '<FNC1>', '[FNC1]', '{FNC1}', '\u241d', '\u2194',
];

/** ISO/IEC 15434 envelope with format 05 (GS1 AIs), as some DataMatrix printers emit. */
const ENVELOPE_05 = '[)>\x1e05\x1d';

interface SubstituteConfig {
  key: readonly string[] | undefined;
  tokens: string[];
  /** Lead characters of the tokens. */
  leads: Set<number>;
  /** ASCII characters that send a scan down the slow path: controls but GS, space, '-', token leads. */
  slowAscii: Uint8Array;
}

let cached: SubstituteConfig | undefined;

/**
 * A single-character substitute that is GS1 data (`/`, letters…) would split real data, so it is
 * ignored (DOMAIN.md §2.2). Multi-character tokens are accepted as given.
 */
function substitutes(list: readonly string[] | undefined): SubstituteConfig {
  if (cached && cached.key === list) return cached;
  const custom = (list ?? ['|']).filter((t) => {
    if (t.length === 0) return false;
    if (t.length > 1) return true;
    const c = t.charCodeAt(0);
    return c >= 128 || (CHAR_CLASS[c]! & (CSET82 | CSET39)) === 0;
  });
  const tokens = [...new Set([...MANGLED_FNC1, ...custom])].sort((x, y) => y.length - x.length);
  const leads = new Set<number>(tokens.map((t) => t.charCodeAt(0)));
  const slowAscii = new Uint8Array(128);
  for (let c = 0; c < 32; c++) slowAscii[c] = c === GS ? 0 : 1;
  slowAscii[32] = 1;
  slowAscii[45] = 1;
  slowAscii[127] = 1;
  for (const c of leads) if (c < 128) slowAscii[c] = 1;
  cached = { key: list, tokens, leads, slowAscii };
  return cached;
}

function isTrailingJunk(c: number): boolean {
  // CR/LF/TAB suffixes of serial and wedge scanners, NUL padding of HID reports.
  return c === 13 || c === 10 || c === 9 || c === 32 || c === 0 || c === 0x3000;
}

function isAimAt(s: string, i: number, end: number): boolean {
  if (s.charCodeAt(i) !== 93 || end - i < 3) return false;
  const a = s.charCodeAt(i + 1);
  const m = s.charCodeAt(i + 2);
  const letter = (a >= 65 && a <= 90) || (a >= 97 && a <= 122);
  const mod = (m >= 48 && m <= 57) || (m >= 65 && m <= 90) || (m >= 97 && m <= 122);
  return letter && mod;
}

/** Full-width ASCII (U+FF01–FF5E) and the ideographic space, as Chinese input methods produce. */
export function foldWidth(s: string): string {
  let out: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0xff01 && c <= 0xff5e) || c === 0x3000) {
      out ??= s.slice(0, i);
      out += c === 0x3000 ? ' ' : String.fromCharCode(c - 0xfee0);
    } else if (out !== undefined) {
      out += s[i];
    }
  }
  return out ?? s;
}

const TRACE_LABELS = /药品追溯码|追溯码|药品标识码|标识码|序列号|[:：\s\-‐‑‒–—−]/g;

/** `药品标识码：8385793 序列号：0000879766660`, `8385793-0000879766660` → 20 digits, else undefined. */
function joinKeyedTrace(s: string): string | undefined {
  const joined = s.replace(TRACE_LABELS, '');
  if (joined === s || joined.length < 15 || joined.length > 25 || joined.charCodeAt(0) !== 56) return undefined;
  for (let i = 0; i < joined.length; i++) {
    const c = joined.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return joined;
}

function replaceTokens(s: string, cfg: SubstituteConfig): string {
  let out = '';
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    if (!cfg.leads.has(s.charCodeAt(i))) continue;
    const t = cfg.tokens.find((tok) => s.startsWith(tok, i));
    if (t === undefined) continue;
    out += s.slice(run, i) + GS_CHAR;
    i += t.length - 1;
    run = i + 1;
  }
  return run === 0 ? s : out + s.slice(run);
}

/**
 * Normalises one scan (issue 3 §1). Fast path: one pass over the characters when nothing needs
 * rewriting, which is the case for almost every scan from a correctly configured scanner.
 */
export function normalizeScan(raw: string, options?: { fnc1Substitutes?: string[] }): NormalizedScan {
  const cfg = substitutes(options?.fnc1Substitutes);
  let a = raw.charCodeAt(0) === 0xfeff ? 1 : 0;
  let b = raw.length;
  while (a < b && (raw.charCodeAt(a) === 32 || raw.charCodeAt(a) === 9 || raw.charCodeAt(a) === 0x3000)) a++;
  while (b > a && isTrailingJunk(raw.charCodeAt(b - 1))) b--;
  let aim: string | undefined;
  if (isAimAt(raw, a, b)) {
    aim = raw.slice(a, a + 3);
    a += 3;
  }
  let hasGs = false;
  let slow = false;
  const slowAscii = cfg.slowAscii;
  for (let i = a; i < b; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 128 || slowAscii[c] === 1) {
      slow = true;
      break;
    }
    if (c === GS) hasGs = true;
  }
  let text = a === 0 && b === raw.length ? raw : raw.slice(a, b);
  let hasControl = false;
  let keyedTrace = false;
  if (slow) {
    text = replaceTokens(foldWidth(text), cfg);
    if (text.startsWith(ENVELOPE_05)) text = text.slice(ENVELOPE_05.length).replace(/\x1e?\x04?$/, '');
    const joined = joinKeyedTrace(text);
    if (joined !== undefined) {
      text = joined;
      keyedTrace = true;
    }
    text = text.trim();
    hasGs = false;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === GS) hasGs = true;
      else if (c < 32 || (c >= 127 && c <= 159)) hasControl = true;
    }
  }
  if (text.charCodeAt(0) === GS) {
    // GenSpecs §7.8.3: a leading FNC1 is the GS1 flag character, not data.
    let k = 1;
    while (text.charCodeAt(k) === GS) k++;
    text = text.slice(k);
    hasGs = text.indexOf(GS_CHAR) >= 0;
  }
  const out: NormalizedScan = { text, hasGs, hasControl, keyedTrace };
  if (aim !== undefined) out.aim = aim;
  return out;
}
