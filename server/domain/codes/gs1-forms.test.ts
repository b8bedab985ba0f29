import { describe, expect, it } from 'vitest';
import { decodeScan } from './decode.js';
import { encodeDigitalLink, encodeElementString, encodeParenthesised, type Gs1Pair } from './gs1-encode.js';
import type { DecodedScan } from './types.js';

const now = new Date('2025-06-01T12:00:00');
/** Everything but the input text, its AIM and the order of AIs, which legitimately differ by form. */
const content = (r: DecodedScan): Omit<DecodedScan, 'input' | 'aim' | 'aiOrder'> => {
  const { input: _i, aim: _a, aiOrder: _o, ...rest } = r;
  return rest;
};

describe('raw, parenthesised and Digital Link forms give the same answer (DOMAIN.md §2.2)', () => {
  it('for the DOMAIN.md example', () => {
    const raw = decodeScan(']d20109506000134352172812311010AB12\x1d21SN9876'.replace('1010AB12', '10AB12'), { now });
    const paren = decodeScan('(01)09506000134352(17)281231(10)AB12(21)SN9876', { now });
    const dl = decodeScan('https://id.gs1.org/01/09506000134352/10/AB12/21/SN9876?17=281231', { now });
    expect(raw.valid).toBe(true);
    expect(content(paren)).toEqual(content(raw));
    expect(content(dl)).toEqual(content(raw));
    expect(dl).toMatchObject({ gtin: '09506000134352', batch: 'AB12', serial: 'SN9876', expiry: '2028-12-31' });
    expect(paren.aiOrder).toEqual(['01', '17', '10', '21']);
    expect(dl.aiOrder).toEqual(['01', '10', '21', '17']);
  });
  it('for data that needs escaping in each form', () => {
    const pairs: Gs1Pair[] = [
      { ai: '01', value: '09506000134352' },
      { ai: '10', value: 'A/B(1)%&?=+#' .replace('#', '') },
      { ai: '21', value: '12"(10)X' },
      { ai: '11', value: '240200' },
    ];
    const forms = [encodeElementString(pairs), encodeParenthesised(pairs), encodeDigitalLink(pairs)];
    const [a, b, c] = forms.map((f) => decodeScan(f, { now }));
    expect(a!.valid).toBe(true);
    expect(a!.ais).toEqual(Object.fromEntries(pairs.map((p) => [p.ai, p.value])));
    expect(content(b!)).toEqual(content(a!));
    expect(content(c!)).toEqual(content(a!));
  });
  it('rejects the same way in each form', () => {
    const bad: Gs1Pair[] = [{ ai: '01', value: '09506000134353' }, { ai: '10', value: 'X' }];
    const rs = [encodeElementString(bad), encodeParenthesised(bad), encodeDigitalLink(bad)].map((f) => decodeScan(f, { now }));
    for (const r of rs) expect(r).toMatchObject({ valid: false, reason: 'gtin_check_digit', kind: 'gs1' });
  });
});

describe('parenthesised text as people type it', () => {
  it('accepts spaces, brackets and full-width parentheses', () => {
    const expected = decodeScan('(01)09506000134352(17)281231', { now });
    for (const v of ['(01) 09506000134352 (17) 281231', '[01]09506000134352[17]281231', '（01）09506000134352（17）281231']) {
      expect(content(decodeScan(v, { now }))).toEqual(content(expected));
    }
  });
  it('reports malformed text', () => {
    expect(decodeScan('(01)09506000134352(17', { now }).reason).toBe('gs1_bad_parentheses');
    expect(decodeScan('(1A)09506000134352', { now }).reason).toBe('gs1_bad_parentheses');
    expect(decodeScan('(19)123', { now }).reason).toBe('gs1_unknown_ai');
    expect(decodeScan('(01)09506000134352(19)123', { now }).reason).toBe('gs1_unknown_ai');
    expect(decodeScan('(01)09506000134352(10)A(B', { now })).toMatchObject({ valid: true, batch: 'A(B' });
    expect(decodeScan('(01)0950600013435', { now }).reason).toBe('gs1_value_too_short');
  });
});

describe('GS1 Digital Link URIs', () => {
  it('accepts path prefixes, GTIN-13 in the path, aliases and ignores non-AI query keys', () => {
    const r = decodeScan('https://example.com/shop/gtin/9506000134352/lot/AB12?linkType=gs1:pip&17=281231', { now });
    expect(r).toMatchObject({ valid: true, kind: 'gs1', gtin: '09506000134352', batch: 'AB12', expiry: '2028-12-31' });
    expect(r.ais).toEqual({ '01': '09506000134352', '10': 'AB12', '17': '281231' });
    expect(decodeScan('https://id.gs1.org/01/09506000134352/10/AB%2012', { now }).reason).toBe('gs1_bad_character');
  });
  it('percent-decodes values', () => {
    const r = decodeScan('https://id.gs1.org/01/09506000134352/10/AB%2F12/21/S%25N', { now });
    expect(r).toMatchObject({ valid: true, batch: 'AB/12', serial: 'S%N' });
  });
  it('rejects bad encoding, wrong qualifier order and unknown AIs', () => {
    expect(decodeScan('https://id.gs1.org/01/09506000134352/10/AB%G1', { now }).reason).toBe('gs1_bad_digital_link');
    expect(decodeScan('https://id.gs1.org/01/09506000134352/21/S1/10/AB', { now }).reason).toBe('gs1_bad_digital_link');
    expect(decodeScan('https://id.gs1.org/01/09506000134352?9999=1', { now }).reason).toBe('gs1_unknown_ai');
    expect(decodeScan('https://id.gs1.org/01/09506000134352/10', { now }).reason).toBe('gs1_bad_digital_link');
  });
  it('tells a plain web address apart', () => {
    expect(decodeScan('https://www.nmpa.gov.cn/', { now })).toMatchObject({ kind: 'unknown', valid: false, reason: 'url_not_gs1' });
  });
});
