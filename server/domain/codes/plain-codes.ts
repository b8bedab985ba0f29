import { lookupAiAt } from './ai-table.js';
import { allDigits } from './charset.js';
import { isValidGtin, isValidSscc, toGtin14 } from './check-digit.js';
import { buildGs1Scan } from './gs1-decode.js';
import { parseElementString } from './gs1-element-string.js';
import type { LintContext } from './gs1-linters.js';
import { nhsaKindOf, validateNhsaConsumableCode, validateNhsaDrugCode } from './nhsa.js';
import { reject } from './reject.js';
import { looksLikeTrace, parseTraceCode } from './trace20.js';
import type { DecodedScan, DecodeOptions } from './types.js';
import { isMaUdiLike, parseMaUdi } from './udi-ma.js';

/**
 * Scans without GS1 structure (no AIM, no FNC1, no brackets, no URL): trace codes, product
 * barcodes, bare SSCCs, GS1 data a keyboard-mode scanner sent without separators, NHSA and MA codes.
 */
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

/**
 * A GS1 key AI (00–03) followed by its digits: the scan is GS1 even without AIM and separators
 * (keyboard-mode scanners drop both). The check digit is left to the GS1 parser to report.
 */
function startsWithGs1Key(t: string): boolean {
  const spec = lookupAiAt(t, 0, t.length);
  if (spec === undefined || !spec.predefined || spec.ai.length !== 2 || spec.ai > '03') return false;
  return t.length >= 2 + spec.maxLength && allDigits(t, 2, 2 + spec.maxLength);
}

export function decodeDigits(out: DecodedScan, t: string, ctx: LintContext, opts: DecodeOptions | undefined): DecodedScan {
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
  if (startsWithGs1Key(t)) {
    // Tried on a copy: a 20-digit string that is no valid GS1 is more likely a mistyped trace code.
    const attempt: DecodedScan = { input: out.input, kind: 'unknown', valid: false };
    if (out.aim !== undefined) attempt.aim = out.aim;
    const g = buildGs1Scan(attempt, parseElementString(t, ctx), 'raw', ctx, opts);
    if (g.valid || n !== 20 || t.startsWith('00')) return g;
  }
  if (first8 && n >= 15 && n <= 25) return reject(out, 'trace20', 'trace_wrong_length', { detail: String(n) });
  if (n === 20) return reject(out, 'trace20', 'trace_bad_first_digit');
  return reject(out, 'unknown', 'unknown_format');
}

export function decodeOther(out: DecodedScan, t: string, ctx: LintContext, opts: DecodeOptions | undefined): DecodedScan {
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
  if (startsWithGs1Key(t)) return buildGs1Scan(out, parseElementString(t, ctx), 'raw', ctx, opts);
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
