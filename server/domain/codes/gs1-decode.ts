import { associationFindings } from './gs1-associations.js';
import { parseYymmdd } from './gs1-dates.js';
import type { LintContext } from './gs1-linters.js';
import { describeSwallow, findSwallow } from './gs1-swallow.js';
import type { Gs1Element, Gs1Error, Gs1ParseResult } from './gs1-types.js';
import { reasonMessage } from './reasons.js';
import type { DecodedScan, DecodeOptions } from './types.js';

export type Gs1Form = 'raw' | 'parenthesised' | 'digital-link';

function setDerived(out: DecodedScan, el: Gs1Element, ctx: LintContext): void {
  switch (el.ai) {
    case '01': out.gtin = el.value; break;
    case '21': out.serial = el.value; break;
    case '10': out.batch = el.value; break;
    case '00': out.sscc = el.value; break;
    case '17': out.expiry = parseYymmdd(el.value, 0, ctx.year(), true); break;
    case '11': out.productionDate = parseYymmdd(el.value, 0, ctx.year(), true); break;
    // 7003 is expiry with a time of day; the date part is the expiry when (17) is absent.
    case '7003': out.expiry ??= parseYymmdd(el.value, 0, ctx.year(), false); break;
  }
}

function fail(out: DecodedScan, e: Gs1Error): DecodedScan {
  out.valid = false;
  out.reason = e.reason;
  out.message = reasonMessage(e.reason, e);
  return out;
}

/**
 * Turns parsed GS1 elements (from any of the three input forms, which therefore give the same
 * answer) into a DecodedScan: duplicates, invalid pairs, swallowed separators, derived fields.
 */
export function buildGs1Scan(out: DecodedScan, parsed: Gs1ParseResult, form: Gs1Form, ctx: LintContext, opts: DecodeOptions | undefined): DecodedScan {
  const els = parsed.elements;
  const ais: Record<string, string> = {};
  const order: string[] = [];
  out.ais = ais;
  out.aiOrder = order;
  let error = parsed.error;
  const lastOk = error === undefined ? els.length : els.length - 1;
  for (let i = 0; i < els.length; i++) {
    const el = els[i]!;
    const prev = ais[el.ai];
    if (prev === undefined) {
      ais[el.ai] = el.value;
      order.push(el.ai);
    } else if (prev !== el.value && error === undefined) {
      error = { reason: 'gs1_duplicate_ai', ai: el.ai, value: el.value };
    }
    if (i < lastOk) setDerived(out, el, ctx);
  }
  out.kind = ais['00'] !== undefined && ais['01'] === undefined ? 'sscc' : 'gs1';

  if (error !== undefined) {
    const last = els[els.length - 1];
    if (error.reason === 'gs1_value_too_long' && form === 'raw' && last?.delimited) {
      const sw = findSwallow(last, order, ctx);
      if (sw) {
        out.suspicious = [`gs1_suspicious_swallow: ${describeSwallow(sw)}`];
        error = { reason: 'gs1_suspicious_swallow', ai: sw.ai, detail: sw.found.map((a) => `(${a})`).join('') };
      }
    }
    return fail(out, error);
  }
  const assoc = associationFindings(order);
  const pair = assoc.pair;
  if (pair) return fail(out, { reason: 'gs1_invalid_ai_combination', ai: pair.ai, detail: pair.other });

  let warnings: string[] | undefined;
  let swallowError: Gs1Error | undefined;
  if (form === 'raw') {
    for (const el of els) {
      if (!el.delimited) continue;
      const sw = findSwallow(el, order, ctx);
      if (sw === null) continue;
      (warnings ??= []).push(`gs1_suspicious_swallow: ${describeSwallow(sw)}`);
      if (sw.strong) swallowError ??= { reason: 'gs1_suspicious_swallow', ai: sw.ai, detail: sw.found.map((a) => `(${a})`).join('') };
    }
  }
  for (const m of assoc.missing) (warnings ??= []).push(`gs1_missing_required_ai: (${m.ai}) needs ${m.needs}`);
  if (warnings) out.suspicious = warnings;

  if (out.gtin !== undefined && out.serial !== undefined) out.identity = `01${out.gtin}21${out.serial}`;
  else if (out.sscc !== undefined) out.identity = `00${out.sscc}`;
  if (swallowError) return fail(out, swallowError);

  if (opts?.expect === 'trace' && out.identity === undefined) {
    const gtinOnly = order.length === 1 && (order[0] === '01' || order[0] === '02');
    return fail(out, { reason: gtinOnly ? 'commodity_not_trace' : 'gs1_no_serial' });
  }
  out.valid = true;
  return out;
}
