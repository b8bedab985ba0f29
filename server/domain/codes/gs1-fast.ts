import { FAST_DATE0, FAST_KEY, FAST_TEXT, lookupAiAt, type AiSpec } from './ai-table.js';
import { isValidYymmdd, parseYymmdd } from './gs1-dates.js';
import { buildAis, buildLayout, layoutRoot, layoutStep } from './gs1-layout.js';
import type { LintContext } from './gs1-linters.js';
import { ROLE, ROLE_BATCH, ROLE_EXPIRY, ROLE_EXPIRY_TIME, ROLE_GTIN, ROLE_PRODUCTION, ROLE_SERIAL, ROLE_SSCC } from './gs1-roles.js';
import { findSwallow } from './gs1-swallow.js';
import { GS, GS_CHAR } from './gs1-types.js';
import { validateAiData } from './gs1-validate.js';
import { CSET82_NO_LT_OR_GS_TO_END_RE, CSET82_NO_LT_RE } from './charset.js';
import { SWALLOW_PAIR_RE } from './gs1-swallow-candidates.js';
import type { DecodedScan, DecodeOptions } from './types.js';

const EIGHT_DIGITS_RE = /\d{8}/;

// Scratch space of the single-pass decoder; decoding is synchronous, so one set suffices.
const MAX = 64;
const specs: AiSpec[] = [];
const values: string[] = [];

/** Digits and GS1 mod-10 together, in digit pairs from the right: weight 3, then weight 1. */
function keyValid(s: string, start: number, end: number): boolean {
  let s3 = 0;
  let s1 = 0;
  let i = end - 2;
  for (; i > start; i -= 2) {
    const a = s.charCodeAt(i) - 48;
    const b = s.charCodeAt(i - 1) - 48;
    if (a < 0 || a > 9 || b < 0 || b > 9) return false;
    s3 += a;
    s1 += b;
  }
  if (i === start) {
    const a = s.charCodeAt(i) - 48;
    if (a < 0 || a > 9) return false;
    s3 += a;
  }
  const check = s.charCodeAt(end - 1) - 48;
  return check >= 0 && check <= 9 && (10 - ((s3 * 3 + s1) % 10)) % 10 === check;
}

function sixDigits(s: string, start: number): boolean {
  for (let i = start; i < start + 6; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * The hot path for what a correctly set-up scanner sends most: a raw GS1 element string that is
 * entirely valid. One pass validates, slices and fills the answer. Anything unusual — an
 * invalid field, a repeated AI, a missing partner AI, a possible swallowed separator, a rare
 * AI shape — returns undefined and the caller takes the general path (parseElementString +
 * buildGs1Scan), whose answer this must equal; a property test holds the two together.
 */
export function decodeGs1Fast(out: DecodedScan, s: string, start: number, end: number, ctx: LintContext, opts: DecodeOptions | undefined): DecodedScan | undefined {
  let node = layoutRoot();
  let n = 0;
  let texts = 0;
  // At the first text field, one native pass over the rest of the scan usually proves every text
  // field clean (CSET 82, no '<'), saving a regular-expression call per field (1 yes, 0 no).
  let allText = -1;
  let gtin: string | undefined;
  let serial: string | undefined;
  let sscc: string | undefined;
  let pos = start;
  while (pos < end) {
    if (s.charCodeAt(pos) === GS) {
      pos++;
      continue;
    }
    const spec = lookupAiAt(s, pos, end);
    if (spec === undefined || n === MAX) return undefined;
    const dStart = pos + spec.ai.length;
    let dEnd: number;
    if (spec.predefined) {
      dEnd = dStart + spec.maxLength;
      if (dEnd > end) return undefined;
    } else {
      const g = s.indexOf(GS_CHAR, dStart);
      dEnd = g < 0 || g > end ? end : g;
    }
    const role = ROLE[spec.index]!;
    let date: string | undefined;
    const fast = spec.fast;
    if (fast === FAST_KEY) {
      if (!keyValid(s, dStart, dEnd)) return undefined;
    } else if (fast === FAST_TEXT) {
      if (dEnd === dStart || dEnd - dStart > spec.maxLength) return undefined;
    } else if (fast === FAST_DATE0) {
      if (!sixDigits(s, dStart)) return undefined;
      if (role === ROLE_EXPIRY || role === ROLE_PRODUCTION) {
        // Validation and the ISO date the answer needs, in one go.
        date = parseYymmdd(s, dStart, ctx.year(), true);
        if (date === undefined) return undefined;
      } else if (!isValidYymmdd(s, dStart, ctx.year(), true)) {
        return undefined;
      }
    } else if ((!spec.predefined && spec.minLength !== spec.maxLength) || validateAiData(spec, s, dStart, dEnd, ctx) !== null) {
      // Variable-length rare shapes need the full swallow check: they go the long way.
      return undefined;
    }
    const value = s.slice(dStart, dEnd);
    if (fast === FAST_TEXT) {
      // The same checks as scanTextField, by the regular-expression engine (native code, about
      // twice as fast per character here). A '<' may be a typed-out <GS>: general path.
      if (allText < 0) {
        CSET82_NO_LT_OR_GS_TO_END_RE.lastIndex = dStart;
        allText = end === s.length && CSET82_NO_LT_OR_GS_TO_END_RE.test(s) ? 1 : 0;
      }
      if (allText === 0 && !CSET82_NO_LT_RE.test(value)) return undefined;
      texts++;
    }
    specs[n] = spec;
    values[n] = value;
    n++;
    node = layoutStep(node, spec);
    switch (role) {
      case ROLE_GTIN: out.gtin = gtin = value; break;
      case ROLE_SERIAL: out.serial = serial = value; break;
      case ROLE_BATCH: out.batch = value; break;
      case ROLE_SSCC: out.sscc = sscc = value; break;
      case ROLE_EXPIRY: out.expiry = date; break;
      case ROLE_PRODUCTION: out.productionDate = date; break;
      case ROLE_EXPIRY_TIME: out.expiry ??= parseYymmdd(s, dStart, ctx.year(), false); break;
    }
    pos = dEnd;
  }
  if (n === 0) return undefined;
  const layout = (node.layout ??= buildLayout(specs.slice(0, n)));
  if (!layout.clean) return undefined;
  if (texts > 0) {
    // findSwallow can only report a hidden (10)/(21) the scan lacks, or a hidden key or expiry
    // date, which needs 8 digits in a row; test those cheap necessary conditions first.
    const weakPossible = layout.lacksBatchOrSerial;
    for (let i = 0; i < n; i++) {
      if (specs[i]!.fast !== FAST_TEXT) continue;
      const v = values[i]!;
      // A hidden AI starts at position 1 or later: a (10)/(21) needs 3 more characters, a key or
      // expiry date 8 digits.
      if (v.length < (weakPossible ? 4 : 9)) continue;
      if (!(EIGHT_DIGITS_RE.test(v) || (weakPossible && SWALLOW_PAIR_RE.test(v)))) continue;
      if (findSwallow(specs[i]!.ai, v, layout.order, ctx) !== null) return undefined;
    }
  }
  out.ais = buildAis(layout, values);
  out.aiOrder = layout.order;
  out.kind = layout.kind;
  if (gtin !== undefined && serial !== undefined) out.identity = `01${gtin}21${serial}`;
  else if (sscc !== undefined) out.identity = `00${sscc}`;
  else if (opts?.expect === 'trace') return undefined;
  out.valid = true;
  return out;
}
