import { CHAR_CLASS, CSET39, CSET82 } from './charset.js';
import { GS } from './gs1-types.js';

/**
 * What keyboard-mode scanners and people type for FNC1: written-out escapes, Ctrl+] in caret
 * notation, the CP437 glyph of 0x1D (↔) that Alt+029 yields on Windows, and the Unicode GS symbol.
 */
const MANGLED_FNC1 = [
  '\\x1d', '\\x1D', '\\u001d', '\\u001D', '<GS>', '<gs>', '[GS]', '{GS}', '^]', '<FNC1>', '[FNC1]', '{FNC1}', '\u241d', '\u2194',
];

export interface SubstituteConfig {
  key: readonly string[] | undefined;
  text: string | undefined;
  tokens: string[];
  /** Lead characters of the tokens. */
  leads: Set<number>;
  /** ASCII characters that send a scan down the slow path: controls but GS, space, '-', token leads. */
  slowAscii: Uint8Array;
  /** Tokens made only of GS1 data characters (like `<GS>`): a clean GS1 parse does not rule them out. */
  dataLikeTokens: string[];
  /** Their first characters, to look for with one native indexOf each. */
  dataLikeLeads: string[];
}

let cached: SubstituteConfig | undefined;

/**
 * A single-character substitute that is GS1 data (`/`, letters…) would split real data, so it is
 * ignored (DOMAIN.md §2.2). Multi-character tokens are accepted as given.
 */
export function substitutes(list: readonly string[] | undefined): SubstituteConfig {
  if (cached && cached.key === list) return cached;
  // Callers often pass a fresh array with the same tokens on every scan.
  const text = list === undefined ? undefined : list.join('\u0000');
  if (cached && text !== undefined && cached.text === text) return cached;
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
  const dataLikeTokens = tokens.filter((t) => [...t].every((ch) => ch.charCodeAt(0) < 128 && (CHAR_CLASS[ch.charCodeAt(0)]! & CSET82) !== 0));
  const dataLikeLeads = [...new Set(dataLikeTokens.map((t) => t.charAt(0)))];
  cached = { key: list, text, tokens, leads, slowAscii, dataLikeTokens, dataLikeLeads };
  return cached;
}
