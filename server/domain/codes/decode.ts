import { allDigits } from './charset.js';
import { DecodeContext } from './decode-context.js';
import { buildGs1Scan } from './gs1-decode.js';
import { parseDigitalLink } from './gs1-digital-link.js';
import { parseElementString } from './gs1-element-string.js';
import { decodeGs1Fast } from './gs1-fast.js';
import { parseParenthesised } from './gs1-parenthesised.js';
import { GS, GS_CHAR } from './gs1-types.js';
import { substitutes } from './fnc1-substitutes.js';
import { normalizeScan } from './normalize.js';
import { bounds, GS1_AIMS, scanBounds } from './scan-bounds.js';
import { decodeDigits, decodeOther } from './plain-codes.js';
import { reject } from './reject.js';
import type { DecodedScan, DecodeOptions } from './types.js';
import { decodeUtf8 } from './utf8.js';

/** Longer than any barcode (QR tops out at 7 089 digits); such input is junk, answered at once. */
export const MAX_SCAN_LENGTH = 8192;

function isHttp(t: string): boolean {
  const c = t.charCodeAt(0);
  if (c !== 104 && c !== 72) return false;
  const head = t.slice(0, 8).toLowerCase();
  return head.startsWith('https://') || head.startsWith('http://');
}

const DEFAULT_CONTEXT = new DecodeContext(undefined);

/**
 * Scans that need no rewriting are decoded straight from the input, skipping normalisation:
 * all digits (trace codes, EAN-13, SSCC), or GS1 data that parses cleanly — every character a
 * normaliser would rewrite (controls, full-width, `|`, `\x1d`…) fails GS1 validation, except
 * data-like tokens such as `<GS>`, which are looked for first.
 */
function decodeDirect(out: DecodedScan, raw: string, ctx: DecodeContext, opts: DecodeOptions | undefined): DecodedScan | undefined {
  scanBounds(raw);
  let a = bounds.start;
  const b = bounds.end;
  const aim = bounds.aim;
  if (a >= b) return undefined;
  const gs1Aim = bounds.gs1Aim;
  if (!gs1Aim && allDigits(raw, a, b)) {
    if (aim !== undefined) out.aim = aim;
    return decodeDigits(out, a === 0 && b === raw.length ? raw : raw.slice(a, b), ctx, opts);
  }
  if (!gs1Aim) {
    const g = raw.indexOf(GS_CHAR, a);
    if (g < 0 || g >= b) return undefined;
  }
  // '<' (of <GS>, <FNC1>) is caught by the fast path's text check; other configured tokens here.
  if (opts?.fnc1Substitutes !== undefined) {
    for (const lead of substitutes(opts.fnc1Substitutes).dataLikeLeads) {
      if (lead === '<') continue;
      const at = raw.indexOf(lead, a);
      if (at >= 0 && at < b) return undefined;
    }
  }
  while (a < b && raw.charCodeAt(a) === GS) a++;
  if (aim !== undefined) out.aim = aim;
  return decodeGs1Fast(out, raw, a, b, ctx, opts);
}

function classify(raw: string, opts: DecodeOptions | undefined, direct = true): DecodedScan {
  let out: DecodedScan = { input: raw, kind: 'unknown', valid: false };
  if (raw.length > MAX_SCAN_LENGTH) return reject(out, 'unknown', 'too_long', { detail: String(raw.length) });
  const fastCtx = opts?.now === undefined ? DEFAULT_CONTEXT : new DecodeContext(opts.now);
  if (direct) {
    const fast = decodeDirect(out, raw, fastCtx, opts);
    if (fast !== undefined) return fast;
    // The fast path may have filled in part of `out` before giving up.
    out = { input: raw, kind: 'unknown', valid: false };
  }
  const n = normalizeScan(raw, opts);
  if (n.aim !== undefined) out.aim = n.aim;
  const t = n.text;
  if (t === '') return reject(out, 'unknown', 'empty');
  if (n.hasControl) return reject(out, 'unknown', 'control_chars');
  const ctx = fastCtx;
  if (isHttp(t)) {
    const dl = parseDigitalLink(t, ctx);
    return dl ? buildGs1Scan(out, dl, 'digital-link', ctx, opts) : reject(out, 'unknown', 'url_not_gs1');
  }
  const c0 = t.charCodeAt(0);
  if (c0 === 40 || (c0 === 91 && /^\[\d{2,4}\]/.test(t))) return buildGs1Scan(out, parseParenthesised(t, ctx), 'parenthesised', ctx, opts);
  if (n.hasGs || (n.aim !== undefined && GS1_AIMS.has(n.aim))) return buildGs1Scan(out, parseElementString(t, ctx), 'raw', ctx, opts);
  return allDigits(t) ? decodeDigits(out, t, ctx, opts) : decodeOther(out, t, ctx, opts);
}

/**
 * Decodes one scan into what the workstation understands. Never throws: any input — bytes,
 * garbage, a megabyte of it — gets a kind and, when rejected, a reason code and message.
 */
export function decodeScan(input: string | Uint8Array, options?: DecodeOptions): DecodedScan {
  let text: string;
  try {
    if (typeof input === 'string') text = input;
    else if (input instanceof Uint8Array) {
      const d = decodeUtf8(input);
      text = d.text;
      if (!d.valid) return reject({ input: text, kind: 'unknown', valid: false }, 'unknown', 'invalid_utf8');
    } else text = String(input);
  } catch {
    return reject({ input: '', kind: 'unknown', valid: false }, 'unknown', 'internal_error');
  }
  try {
    return classify(text, options);
  } catch {
    return reject({ input: text, kind: 'unknown', valid: false }, 'unknown', 'internal_error');
  }
}

/** The general path alone (no direct/fast path), for tests that hold the two paths together. */
export function decodeScanGeneral(input: string, options?: DecodeOptions): DecodedScan {
  return classify(input, options, false);
}
