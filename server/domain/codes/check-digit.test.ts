import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gs1CheckDigit, hasValidGs1CheckDigit, isValidGln, isValidGtin, isValidSscc, toGtin14 } from './check-digit.js';
import { gs1CheckPairAt, hasValidGs1CheckPairAt } from './check-digit.js';

describe('GS1 mod-10 (DOMAIN.md §2.2 vectors)', () => {
  it.each(['4006381333931', '09506000134352', '6901234567892', '96385074', '16901234567899'])('accepts GTIN %s', (g) => {
    expect(isValidGtin(g)).toBe(true);
  });
  it('accepts SSCC 106141411234567897', () => {
    expect(isValidSscc('106141411234567897')).toBe(true);
  });
  it.each(['4006381333932', '09506000134353'])('rejects GTIN %s', (g) => {
    expect(isValidGtin(g)).toBe(false);
  });
  it('computes the check digit from the data digits', () => {
    expect(gs1CheckDigit('400638133393')).toBe(1);
    expect(gs1CheckDigit('0950600013435')).toBe(2);
    expect(gs1CheckDigit('10614141123456789')).toBe(7);
    expect(() => gs1CheckDigit('12a')).toThrow(RangeError);
  });
  it('rejects wrong lengths and non-digits', () => {
    expect(isValidGtin('123456789')).toBe(false);
    expect(isValidGtin('40063813339A')).toBe(false);
    expect(isValidSscc('06141411234567897')).toBe(false);
    expect(isValidGln('4006381333931')).toBe(true);
    expect(isValidGln('4006381333930')).toBe(false);
  });
  it('normalises every GTIN length to 14 digits', () => {
    expect(toGtin14('96385074')).toBe('00000096385074');
    expect(toGtin14('036000291452')).toBe('00036000291452');
    expect(toGtin14('6901234567892')).toBe('06901234567892');
    expect(toGtin14('16901234567899')).toBe('16901234567899');
    expect(toGtin14('123')).toBeUndefined();
  });
});

describe('check digits catch every single-digit change', () => {
  const withCheck = (body: string): string => body + gs1CheckDigit(body);
  const mutateOne = (code: string, pos: number, delta: number): string => {
    const i = pos % code.length;
    const d = (Number(code[i]) + delta) % 10;
    return code.slice(0, i) + d + code.slice(i + 1);
  };
  it('GTIN-8/12/13/14', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(7, 11, 12, 13),
        fc.stringMatching(/^\d{13}$/),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (len, digits, pos, delta) => {
          const gtin = withCheck(digits.slice(0, len));
          expect(isValidGtin(gtin)).toBe(true);
          expect(isValidGtin(mutateOne(gtin, pos, delta))).toBe(false);
        },
      ),
    );
  });
  it('SSCC', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}$/), fc.nat(), fc.integer({ min: 1, max: 9 }), (digits, pos, delta) => {
        const sscc = withCheck(digits);
        expect(isValidSscc(sscc)).toBe(true);
        expect(isValidSscc(mutateOne(sscc, pos, delta))).toBe(false);
      }),
    );
  });
});

describe('GS1 check character pair (GMN, GenSpecs §7.9.5)', () => {
  it('accepts the GenSpecs example and rejects a changed character', () => {
    const gmn = '1987654Ad4X4bL5ttr2310c2K';
    expect(hasValidGs1CheckPairAt(gmn, 0, gmn.length)).toBe(true);
    expect(gs1CheckPairAt(gmn, 0, gmn.length - 2)).toBe('2K');
    expect(hasValidGs1CheckPairAt('1987654Ad4X4bL5ttr2311c2K', 0, 25)).toBe(false);
    expect(hasValidGs1CheckDigit('0')).toBe(false);
  });
});
