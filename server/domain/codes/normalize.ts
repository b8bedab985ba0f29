import { substitutes, type SubstituteConfig } from './fnc1-substitutes.js';
import { GS, GS_CHAR } from './gs1-types.js';
import { bounds, scanBounds } from './scan-bounds.js';

/** ISO/IEC 15434 envelope with format 05 (GS1 AIs), as some DataMatrix printers emit. */
const ENVELOPE_05 = '[)>\x1e05\x1d';

export interface NormalizedScan {
  /** The data, ready to classify: AIM removed, trimmed, FNC1 as ASCII 29, ASCII digits and letters. */
  text: string;
  /** AIM symbology identifier such as `]d2`, when the scanner sent one. */
  aim?: string;
  /** FNC1 was seen (as separator or as the leading GS1 flag): the data is GS1 element strings. */
  hasGs: boolean;
  /** Control characters other than FNC1 remain (misconfigured scanner, binary junk). */
  hasControl: boolean;
  /** A keyed-in trace code label (`药品标识码：8385793 序列号：0000879766660`) was joined to 20 digits. */
  keyedTrace: boolean;
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
  scanBounds(raw);
  const a = bounds.start;
  const b = bounds.end;
  const aim = bounds.aim;
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
    // A keyed-in label is plain text; never rewrite what a GS1 symbol (AIM or FNC1) carried.
    const joined = aim === undefined && text.indexOf(GS_CHAR) < 0 ? joinKeyedTrace(text) : undefined;
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
    // GenSpecs §7.8.3: a leading FNC1 is the GS1 flag character, not data — but it does say GS1.
    let k = 1;
    while (text.charCodeAt(k) === GS) k++;
    text = text.slice(k);
  }
  const out: NormalizedScan = { text, hasGs, hasControl, keyedTrace };
  if (aim !== undefined) out.aim = aim;
  return out;
}
