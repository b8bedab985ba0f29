import { isValidGtin, isValidSscc, toGtin14 } from './check-digit.js';
import { lookupAiAt } from './ai-table.js';
import { allDigits } from './charset.js';
import { buildGs1Scan } from './gs1-decode.js';
import { parseDigitalLink } from './gs1-digital-link.js';
import { parseElementString } from './gs1-element-string.js';
import type { LintContext } from './gs1-linters.js';
import { parseParenthesised } from './gs1-parenthesised.js';
import { nhsaKindOf, validateNhsaConsumableCode, validateNhsaDrugCode } from './nhsa.js';
import { normalizeScan } from './normalize.js';
import { reasonMessage, type ReasonCode, type ReasonDetail } from './reasons.js';
import { looksLikeTrace, parseTraceCode } from './trace20.js';
import type { CodeKind, DecodedScan, DecodeOptions } from './types.js';
import { isMaUdiLike, parseMaUdi } from './udi-ma.js';
import { decodeUtf8 } from './utf8.js';

/** Longer than any barcode (QR tops out at 7 089 digits); such input is junk, answered at once. */
export const MAX_SCAN_LENGTH = 8192;

/** AIM identifiers whose data is GS1 element strings (DOMAIN.md §2.2). */
const GS1_AIMS = new Set([']C1', ']d2', ']Q3', ']e0', ']J1']);

function reject(out: DecodedScan, kind: CodeKind, reason: ReasonCode, detail?: ReasonDetail): DecodedScan {
  out.kind = kind;
  out.valid = false;
  out.reason = reason;
  out.message = reasonMessage(reason, detail);
  return out;
}

/** Reads the clock only when a date field needs the century window. */
class DecodeContext implements LintContext {
  private y = -1;
  constructor(private readonly now: Date | undefined) {}
  year(): number {
    if (this.y < 0) this.y = (this.now ?? new Date()).getFullYear();
    return this.y;
  }
}

function trace(out: DecodedScan, t: string): DecodedScan {
  const p = parseTraceCode(t)!;
  out.kind = 'trace20';
  out.valid = true;
  out.traceCode = p.traceCode;
  out.prefix = p.prefix;
  out.serial = p.serial;
  out.special = p.special;
  out.checkPart = p.checkPart;
  out.identity = p.traceCode;
  return out;
}

function commodity(out: DecodedScan, t: string, opts: DecodeOptions | undefined): DecodedScan {
  if (!isValidGtin(t)) return reject(out, 'commodity', 'gtin_check_digit', { value: t });
  out.gtin = toGtin14(t)!;
  if (opts?.expect === 'trace') return reject(out, 'commodity', 'commodity_not_trace');
  out.kind = 'commodity';
  out.valid = true;
  return out;
}

/** A GS1 key AI (00–03) whose data checks out: the scan is GS1 even without AIM and separators. */
function startsWithGs1Key(t: string, ctx: LintContext): boolean {
  const spec = lookupAiAt(t, 0, t.length);
  if (spec === undefined || !spec.predefined || spec.ai.length !== 2 || spec.ai > '03') return false;
  return t.length >= 2 + spec.maxLength && isKeyValid(t, spec.maxLength);
}

function isKeyValid(t: string, n: number): boolean {
  const key = t.slice(2, 2 + n);
  return n === 18 ? isValidSscc(key) : isValidGtin(key);
}

function decodeDigits(out: DecodedScan, t: string, ctx: LintContext, opts: DecodeOptions | undefined): DecodedScan {
  const n = t.length;
  const first8 = t.charCodeAt(0) === 56;
  if (n === 20 && first8) return trace(out, t);
  if (n === 8 || n === 12 || n === 13 || n === 14) return commodity(out, t, opts);
  if (n === 18) {
    if (isValidSscc(t)) {
      out.kind = 'sscc';
      out.valid = true;
      out.sscc = t;
      out.identity = `00${t}`;
      return out;
    }
    return first8 ? reject(out, 'trace20', 'trace_wrong_length', { detail: String(n) }) : reject(out, 'sscc', 'sscc_check_digit', { value: t });
  }
  if (startsWithGs1Key(t, ctx)) {
    const g = buildGs1Scan(out, parseElementString(t, ctx), 'raw', ctx, opts);
    if (g.valid || n !== 20) return g;
    clearGs1(out);
  }
  if (first8 && n >= 15 && n <= 25) return reject(out, 'trace20', 'trace_wrong_length', { detail: String(n) });
  if (n === 20) return reject(out, 'trace20', 'trace_bad_first_digit');
  return reject(out, 'unknown', 'unknown_format');
}

function clearGs1(out: DecodedScan): void {
  for (const k of ['ais', 'aiOrder', 'gtin', 'serial', 'batch', 'expiry', 'productionDate', 'sscc', 'identity', 'suspicious', 'reason', 'message'] as const) {
    delete out[k];
  }
}

function decodeOther(out: DecodedScan, t: string, ctx: LintContext, opts: DecodeOptions | undefined): DecodedScan {
  if (looksLikeTrace(t)) {
    const bad = [...t].filter((c) => c < '0' || c > '9').join(' ');
    return reject(out, 'trace20', 'trace_not_digit', { detail: bad });
  }
  if (isMaUdiLike(t)) {
    const r = parseMaUdi(t, ctx.year());
    out.kind = 'udi-ma';
    if (!r.ok) {
      if (r.di !== undefined) out.udiDi = r.di;
      return reject(out, 'udi-ma', 'udi_ma_bad_format', { detail: r.detail });
    }
    out.valid = true;
    out.udiDi = r.udi.di;
    if (r.udi.serial !== undefined) out.serial = r.udi.serial;
    if (r.udi.batch !== undefined) out.batch = r.udi.batch;
    if (r.udi.expiry !== undefined) out.expiry = r.udi.expiry;
    if (r.udi.productionDate !== undefined) out.productionDate = r.udi.productionDate;
    return out;
  }
  if (startsWithGs1Key(t, ctx)) return buildGs1Scan(out, parseElementString(t, ctx), 'raw', ctx, opts);
  const nhsa = nhsaKindOf(t);
  if (nhsa !== undefined) {
    const v = nhsa === 'nhsa-drug' ? validateNhsaDrugCode(t) : validateNhsaConsumableCode(t);
    if (!v.valid) return reject(out, nhsa, v.reason!);
    out.nhsaCode = v.normalized;
    if (opts?.expect === 'trace') return reject(out, nhsa, 'nhsa_not_trace');
    out.kind = nhsa;
    out.valid = true;
    return out;
  }
  return reject(out, 'unknown', 'unknown_format');
}

function isHttp(t: string): boolean {
  const c = t.charCodeAt(0);
  if (c !== 104 && c !== 72) return false;
  const head = t.slice(0, 8).toLowerCase();
  return head.startsWith('https://') || head.startsWith('http://');
}

function classify(raw: string, opts: DecodeOptions | undefined): DecodedScan {
  const out: DecodedScan = { input: raw, kind: 'unknown', valid: false };
  if (raw.length > MAX_SCAN_LENGTH) return reject(out, 'unknown', 'too_long', { detail: String(raw.length) });
  const n = normalizeScan(raw, opts);
  if (n.aim !== undefined) out.aim = n.aim;
  const t = n.text;
  if (t === '') return reject(out, 'unknown', 'empty');
  if (n.hasControl) return reject(out, 'unknown', 'control_chars');
  const ctx = new DecodeContext(opts?.now);
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
