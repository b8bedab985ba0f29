import { describe, expect, it } from 'vitest';
import { childCapacity, parsePackageRatio, unitsPerPack, type PackageRatio } from './ratio.js';

const ratio = (s: string): PackageRatio => {
  const r = parsePackageRatio(s);
  if (!r.ok) throw new Error(r.error);
  return r.ratio;
};

describe('package ratio (DOMAIN.md §3: big:middle:small)', () => {
  it('parses three and two levels, tolerating full-width colons and spaces', () => {
    expect(ratio('1:5:10')).toEqual({ spec: '1:5:10', cascade: 3, middlesPerCase: 5, unitsPerCase: 10 });
    expect(ratio(' 1：10 ')).toEqual({ spec: '1:10', cascade: 2, unitsPerCase: 10 });
    expect(ratio('1 : 20 : 400').spec).toBe('1:20:400');
  });
  it.each([
    ['', 'empty'],
    ['1', '2 or 3 parts'],
    ['1:2:3:4', '2 or 3 parts'],
    ['2:10', 'must start with 1'],
    ['1:x:10', 'not a whole number'],
    ['1:-5:10', 'not a whole number'],
    ['1:5:4', 'smaller'],
    ['1:4:10', 'not a multiple'],
    ['1:0:10', 'smaller'],
    ['1*5*10', '2 or 3 parts'],
  ])('rejects %j (%s)', (text, why) => {
    const r = parsePackageRatio(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(why);
  });
  it('gives the step between levels', () => {
    const r = ratio('1:5:10');
    expect(childCapacity(r, 3, 2)).toBe(5);
    expect(childCapacity(r, 2, 1)).toBe(2);
    expect(childCapacity(r, 3, 1)).toBe(10);
    expect(childCapacity(r, 1, 1)).toBeUndefined();
    expect(unitsPerPack(r, 2)).toBe(2);
    const two = ratio('1:10');
    expect(childCapacity(two, 2, 1)).toBe(10);
    expect(childCapacity(two, 3, 1)).toBe(10);
    expect(childCapacity(two, 3, 2)).toBeUndefined();
  });
});
