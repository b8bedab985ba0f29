import { describe, expect, it } from 'vitest';
import { currentYear, isValidYymmdd, parseYymmdd, parseYyyymmdd, resolveGs1Year } from './gs1-dates.js';

describe('GS1 century sliding window (GenSpecs §7.12)', () => {
  it('puts YY at most 50 years ahead and 49 years back', () => {
    expect(resolveGs1Year(25, 2025)).toBe(2025);
    expect(resolveGs1Year(75, 2025)).toBe(2075); // D = +50: this century
    expect(resolveGs1Year(76, 2025)).toBe(1976); // D = +51: previous century
    expect(resolveGs1Year(99, 2049)).toBe(2099);
    expect(resolveGs1Year(1, 2051)).toBe(2101); // D = −50: next century
    expect(resolveGs1Year(2, 2051)).toBe(2002); // D = −49: this century
  });
});

describe('YYMMDD', () => {
  it('formats calendar dates', () => {
    expect(parseYymmdd('281231', 0, 2025, true)).toBe('2028-12-31');
    expect(parseYymmdd('x250101', 1, 2025, false)).toBe('2025-01-01');
  });
  it('reads DD = 00 as the last day of the month where allowed', () => {
    expect(parseYymmdd('240200', 0, 2025, true)).toBe('2024-02-29');
    expect(parseYymmdd('250200', 0, 2025, true)).toBe('2025-02-28');
    expect(parseYymmdd('251100', 0, 2025, true)).toBe('2025-11-30');
    expect(parseYymmdd('251100', 0, 2025, false)).toBeUndefined();
  });
  it('rejects dates that do not exist', () => {
    for (const bad of ['251301', '250001', '250230', '250431', '2501', '25AB01', '230229']) {
      expect(parseYymmdd(bad, 0, 2025, true)).toBeUndefined();
      expect(isValidYymmdd(bad, 0, 2025, true)).toBe(false);
    }
    expect(isValidYymmdd('240229', 0, 2025, false)).toBe(true);
  });
  it('YYYYMMDD', () => {
    expect(parseYyyymmdd('19491231', 0)).toBe('1949-12-31');
    expect(parseYyyymmdd('20230229', 0)).toBeUndefined();
    expect(parseYyyymmdd('20240200', 0, true)).toBe('2024-02-29');
  });
  it('knows the current year', () => {
    expect(currentYear()).toBe(new Date().getFullYear());
  });
});
