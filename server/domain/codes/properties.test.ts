import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AI_SPECS, matchesPattern, type AiComponent, type AiSpec } from './ai-table.js';
import { CSET39_CHARS, CSET64_CHARS, CSET82_CHARS } from './charset.js';
import { gs1CheckDigit, gs1CheckPairAt } from './check-digit.js';
import { formatDecodedJson } from './cli-json.js';
import { decodeScan, decodeScanGeneral } from './decode.js';
import { encodeDigitalLink, encodeElementString, encodeParenthesised, type Gs1Pair } from './gs1-encode.js';
import { isReasonCode } from './reasons.js';
import type { CodeKind } from './types.js';

const now = new Date('2025-06-01T12:00:00');
const KINDS: CodeKind[] = ['trace20', 'gs1', 'sscc', 'commodity', 'nhsa-drug', 'nhsa-consumable', 'udi-ma', 'unknown'];
const pad = (n: number, w: number): string => String(n).padStart(w, '0');
const chars = (set: string, min: number, max: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...set), minLength: min, maxLength: max });
const digits = (n: number): fc.Arbitrary<string> => chars('0123456789', n, n);

/** A valid value for one component, honouring its content rules (the encoder side of the property). */
function componentValue(c: AiComponent): fc.Arbitrary<string> {
  const rules = c.linterNames;
  const has = (r: string): boolean => rules.includes(r);
  const n = c.max;
  if (has('csum')) return digits(n - 1).map((d) => d + gs1CheckDigit(d));
  if (has('csumalpha')) return chars(CSET82_CHARS, 1, Math.min(n - 2, 23)).map((b) => b + gs1CheckPairAt(b, 0, b.length)!).filter((v) => !has('hasnondigit') || /\D/.test(v));
  if (has('yymmd0') || has('yymmdd')) {
    return fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: has('yymmd0') ? 0 : 1, max: 28 })).map(([y, m, d]) => pad(y, 2) + pad(m, 2) + pad(d, 2));
  }
  if (has('yyyymmdd')) return fc.tuple(fc.integer({ min: 1900, max: 2099 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 })).map(([y, m, d]) => `${y}${pad(m, 2)}${pad(d, 2)}`);
  if (has('hhmi')) return fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => pad(h, 2) + pad(m, 2));
  if (has('hh')) return fc.integer({ min: 0, max: 23 }).map((h) => pad(h, 2));
  if (has('mi') || has('ss')) return fc.integer({ min: 0, max: 59 }).map((m) => pad(m, 2));
  if (has('yesno')) return fc.constantFrom('0', '1');
  if (has('zero')) return fc.constant('0');
  if (has('winding')) return fc.constantFrom('0', '1', '9');
  if (has('iso5218')) return fc.constantFrom('0', '1', '2', '9');
  if (has('hyphen')) return fc.constant('-');
  if (has('nonzero')) return fc.integer({ min: 1, max: 10 ** n - 1 }).map((v) => pad(v, n));
  if (has('pieceoftotal')) return fc.integer({ min: 1, max: 99 }).chain((t) => fc.integer({ min: 1, max: t }).map((p) => pad(p, 2) + pad(t, 2)));
  if (has('latitude')) return fc.integer({ min: 0, max: 1_800_000_000 }).map((v) => pad(v, 10));
  if (has('longitude')) return fc.integer({ min: 0, max: 3_599_999_999 }).map((v) => pad(v, 10));
  if (has('mediatype')) return fc.integer({ min: 1, max: 10 }).map((v) => pad(v, 2));
  if (has('nozeroprefix')) return fc.integer({ min: 1, max: 10 ** Math.min(n, 15) - 1 }).map(String);
  if (has('posinseqslash')) return fc.integer({ min: 1, max: 9 }).chain((m) => fc.integer({ min: 1, max: m }).map((k) => `${k}/${m}`));
  if (has('iso3166alpha2')) return fc.constantFrom('CN', 'DE', 'FR', 'US', 'JP');
  if (has('iban')) return fc.constantFrom('DE89370400440532013000', 'GB82WEST12345698765432');
  if (has('importeridx')) return chars(CSET64_CHARS, 1, 1);
  const set = c.cset === 'N' ? '0123456789' : c.cset === 'Y' ? CSET39_CHARS : c.cset === 'Z' ? CSET64_CHARS : has('pcenc') ? CSET82_CHARS.replace('%', '') : CSET82_CHARS;
  return chars(set, c.min, c.max);
}

function aiValue(spec: AiSpec): fc.Arbitrary<string> {
  const parts = spec.components.map((c) => (c.optional ? fc.option(componentValue(c), { nil: undefined }) : componentValue(c)));
  return fc.tuple(...parts).map((vals) => {
    let out = '';
    for (const v of vals) {
      if (v === undefined) break; // optional components end the data once one is left out
      out += v;
    }
    return out;
  });
}

const conflicts = (a: AiSpec, b: AiSpec): boolean => a.ai === b.ai || a.excludes.some((p) => matchesPattern(b.ai, p)) || b.excludes.some((p) => matchesPattern(a.ai, p));
const GTIN_SPEC = AI_SPECS.find((s) => s.ai === '01')!;

/** Random valid AI sets: (01) first (a Digital Link needs a primary key), then AIs that may go with it. */
const validPairs: fc.Arbitrary<Gs1Pair[]> = fc
  .shuffledSubarray(AI_SPECS.filter((s) => s.ai !== '01'), { minLength: 0, maxLength: 5 })
  .chain((picked) => {
    const chosen: AiSpec[] = [GTIN_SPEC];
    for (const s of picked) if (!chosen.some((c) => conflicts(c, s))) chosen.push(s);
    return fc.tuple(...chosen.map((s) => aiValue(s).map((value) => ({ ai: s.ai, value }))));
  })
  .filter((pairs) => pairs.every((p) => !/<GS>|<gs>|<FNC1>/.test(p.value)));

describe('property: decode(encode(x)) == x for random valid AI sets', () => {
  it('in all three forms, with the same answer', () => {
    fc.assert(
      fc.property(validPairs, (pairs) => {
        const expected = Object.fromEntries(pairs.map((p) => [p.ai, p.value]));
        const raw = decodeScan(`]d2${encodeElementString(pairs)}`, { now });
        const paren = decodeScan(encodeParenthesised(pairs), { now });
        const dl = decodeScan(encodeDigitalLink(pairs), { now });
        for (const r of [raw, paren, dl]) {
          expect(r.ais).toEqual(expected);
          expect(r.gtin).toBe(pairs[0]!.value);
        }
        expect(raw.aiOrder).toEqual(pairs.map((p) => p.ai));
        expect(paren.aiOrder).toEqual(pairs.map((p) => p.ai));
        expect(paren).toMatchObject({ kind: 'gs1', valid: true });
        expect(dl).toMatchObject({ kind: 'gs1', valid: true });
        const { input: _a, aim: _b, aiOrder: _c, ...p } = paren;
        const { input: _d, aim: _e, aiOrder: _f, ...d } = dl;
        expect(d).toEqual(p);
        // Only the raw form has no field boundaries of its own; it may flag a possible swallow.
        if (!raw.valid) expect(raw.reason).toBe('gs1_suspicious_swallow');
        else expect({ ...raw, input: '', aim: undefined, aiOrder: undefined, suspicious: undefined }).toEqual({ ...paren, input: '', aim: undefined, aiOrder: undefined, suspicious: raw.suspicious === undefined ? paren.suspicious : undefined });
      }),
      { numRuns: 400 },
    );
  });
});

describe('property: check digits', () => {
  const mutate = (s: string, i: number, delta: number): string => s.slice(0, i) + ((Number(s[i]) + delta) % 10) + s.slice(i + 1);
  it('any single-digit change in a GTIN is caught, in every place it appears', () => {
    fc.assert(
      fc.property(digits(13), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 1, max: 9 }), (body, i, delta) => {
        const gtin = mutate(body + gs1CheckDigit(body), i, delta);
        expect(decodeScan(`]d201${gtin}21X`, { now }).reason).toBe('gtin_check_digit');
        expect(decodeScan(`(01)${gtin}`, { now }).reason).toBe('gtin_check_digit');
        expect(decodeScan(gtin, { now }).reason).toBe('gtin_check_digit');
      }),
    );
  });
  it('any single-digit change in an SSCC is caught', () => {
    fc.assert(
      fc.property(digits(17), fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 9 }), (body, i, delta) => {
        const sscc = mutate(body + gs1CheckDigit(body), i, delta);
        expect(decodeScan(`]C100${sscc}`, { now })).toMatchObject({ valid: false, reason: 'sscc_check_digit' });
        expect(decodeScan(`https://id.gs1.org/00/${sscc}`, { now }).reason).toBe('sscc_check_digit');
      }),
    );
  });
});

const anyChar = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const gs1ish = fc
  .array(fc.constantFrom('01', '10', '17', '21', '00', '3103', '7003', '8', '9', '0', '5', 'A', 'z', '\x1d', '|', '<GS>', '\\x1d', '(', ')', '[', ']d2', ']C1', 'https://x/', '/', '?', '=', '&', '%', '%2F', '-', ' ', '：', '８', 'MA.', '.', 'X', 'C', '\r', '\n', '\0', '\x7f', '\ud800'), { maxLength: 40 })
  .map((xs) => xs.join(''));

function checkAnswer(input: string | Uint8Array): void {
  const r = decodeScan(input, { now });
  expect(KINDS).toContain(r.kind);
  expect(typeof r.valid).toBe('boolean');
  if (r.valid) {
    expect(r.reason).toBeUndefined();
  } else {
    expect(isReasonCode(r.reason ?? '')).toBe(true);
    expect(r.reason).not.toBe('internal_error');
    expect(r.message?.['zh-CN']).toMatch(/\S/);
  }
  expect(() => JSON.parse(formatDecodedJson(r))).not.toThrow();
  if (typeof input === 'string') expect(decodeScanGeneral(input, { now })).toEqual(r);
}

describe('property: never throws, always a kind and, when rejected, a reason', () => {
  it('arbitrary UTF-16 text (lone surrogates included)', () => {
    fc.assert(fc.property(fc.string({ unit: anyChar, maxLength: 200 }), checkAnswer), { numRuns: 1000 });
  });
  it('arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), checkAnswer), { numRuns: 1000 });
  });
  it('GS1-like and trace-like junk, where the deeper paths run (fast and general path agree)', () => {
    fc.assert(fc.property(gs1ish, checkAnswer), { numRuns: 3000 });
  });
  it('mutated valid GS1 strings (fast and general path agree)', () => {
    const edit = fc.tuple(fc.nat(), fc.constantFrom('', '0', '9', 'A', '\x1d', '<GS>', '|', '-', '~', 'é'), fc.boolean());
    fc.assert(
      fc.property(validPairs, fc.array(edit, { maxLength: 3 }), (pairs, edits) => {
        let s = `]d2${encodeElementString(pairs)}`;
        for (const [at, ch, replace] of edits) {
          const i = at % (s.length + 1);
          s = s.slice(0, i) + ch + s.slice(replace ? i + 1 : i);
        }
        checkAnswer(s);
      }),
      { numRuns: 1000 },
    );
  });
  it('huge inputs', () => {
    fc.assert(fc.property(fc.string({ unit: anyChar, minLength: 8000, maxLength: 20000 }), checkAnswer), { numRuns: 20 });
    checkAnswer('0'.repeat(1 << 20));
    checkAnswer(new Uint8Array(1 << 20).fill(0xff));
    checkAnswer(`]d201095060001343521${'0'.repeat(8000)}`);
  });
});
