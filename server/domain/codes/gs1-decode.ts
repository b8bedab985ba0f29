import { parseYymmdd } from './gs1-dates.js';
import { buildAis, layoutOf } from './gs1-layout.js';
import type { LintContext } from './gs1-linters.js';
import { describeSwallow, findSwallow } from './gs1-swallow.js';
import type { Gs1Element, Gs1Error, Gs1ParseResult } from './gs1-types.js';
import { reasonMessage } from './reasons.js';
import { ROLE, ROLE_BATCH, ROLE_EXPIRY, ROLE_EXPIRY_TIME, ROLE_GTIN, ROLE_PRODUCTION, ROLE_SERIAL, ROLE_SSCC } from './gs1-roles.js';
import type { DecodedScan, DecodeOptions } from './types.js';

export type Gs1Form = 'raw' | 'parenthesised' | 'digital-link';

function setDerived(out: DecodedScan, el: Gs1Element, ctx: LintContext): void {
  switch (ROLE[el.spec.index]) {
    case ROLE_GTIN: out.gtin = el.value; break;
    case ROLE_SERIAL: out.serial = el.value; break;
    case ROLE_BATCH: out.batch = el.value; break;
    case ROLE_SSCC: out.sscc = el.value; break;
    case ROLE_EXPIRY: out.expiry = parseYymmdd(el.value, 0, ctx.year(), true); break;
    case ROLE_PRODUCTION: out.productionDate = parseYymmdd(el.value, 0, ctx.year(), true); break;
    case ROLE_EXPIRY_TIME: out.expiry ??= parseYymmdd(el.value, 0, ctx.year(), false); break;
  }
}

function fail(out: DecodedScan, e: Gs1Error): DecodedScan {
  out.valid = false;
  out.reason = e.reason;
  out.message = reasonMessage(e.reason, e);
  return out;
}

function swallowError(ai: string, found: readonly string[]): Gs1Error {
  return { reason: 'gs1_suspicious_swallow', ai, detail: found.map((a) => `(${a})`).join('') };
}

/**
 * Turns parsed GS1 elements (from any of the three input forms, which therefore give the same
 * answer) into a DecodedScan: duplicates, invalid pairs, swallowed separators, derived fields.
 */
export function buildGs1Scan(out: DecodedScan, parsed: Gs1ParseResult, form: Gs1Form, ctx: LintContext, opts: DecodeOptions | undefined): DecodedScan {
  const els = parsed.elements;
  const layout = layoutOf(els);
  let error = parsed.error;
  const lastOk = error === undefined ? els.length : els.length - 1;
  let ais: Record<string, string>;
  if (!layout.duplicates) {
    ais = buildAis(layout, els.map((e) => e.value));
    for (let i = 0; i < lastOk; i++) setDerived(out, els[i]!, ctx);
  } else {
    ais = { ...layout.template };
    const keys = layout.keys;
    for (let i = 0; i < els.length; i++) {
      const el = els[i]!;
      if (layout.first[i] !== i) {
        // GenSpecs §4.14: a repeated AI is tolerated only with the same data.
        if (ais[keys[i]!] !== el.value && error === undefined) error = { reason: 'gs1_duplicate_ai', ai: el.spec.ai, value: el.value };
        continue;
      }
      ais[keys[i]!] = el.value;
      if (i < lastOk) setDerived(out, el, ctx);
    }
  }
  out.ais = ais;
  out.aiOrder = layout.order;
  out.kind = layout.kind;

  if (error !== undefined) {
    const last = els[els.length - 1];
    if (error.reason === 'gs1_value_too_long' && form === 'raw' && last?.delimited) {
      const sw = findSwallow(last.ai, last.value, layout.order, ctx);
      if (sw) {
        out.suspicious = [`gs1_suspicious_swallow: ${describeSwallow(sw)}`];
        error = swallowError(sw.ai, sw.found);
      }
    }
    return fail(out, error);
  }
  const pair = layout.invalidPair;
  if (pair) return fail(out, { reason: 'gs1_invalid_ai_combination', ai: pair.ai, detail: pair.other });

  let warnings: string[] | undefined;
  let swallowed: Gs1Error | undefined;
  if (form === 'raw') {
    for (let i = 0; i < els.length; i++) {
      const el = els[i]!;
      if (!el.delimited) continue;
      const sw = findSwallow(el.ai, el.value, layout.order, ctx);
      if (sw === null) continue;
      (warnings ??= []).push(`gs1_suspicious_swallow: ${describeSwallow(sw)}`);
      if (sw.strong) swallowed ??= swallowError(sw.ai, sw.found);
    }
  }
  const missing = layout.missing;
  for (let i = 0; i < missing.length; i++) (warnings ??= []).push(`gs1_missing_required_ai: (${missing[i]!.ai}) needs ${missing[i]!.needs}`);
  if (warnings) out.suspicious = warnings;

  if (out.gtin !== undefined && out.serial !== undefined) out.identity = `01${out.gtin}21${out.serial}`;
  else if (out.sscc !== undefined) out.identity = `00${out.sscc}`;
  if (swallowed) return fail(out, swallowed);

  if (opts?.expect === 'trace' && out.identity === undefined) {
    const gtinOnly = layout.order.length === 1 && (layout.order[0] === '01' || layout.order[0] === '02');
    return fail(out, { reason: gtinOnly ? 'commodity_not_trace' : 'gs1_no_serial' });
  }
  out.valid = true;
  return out;
}
