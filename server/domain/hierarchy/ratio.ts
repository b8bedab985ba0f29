import type { PackLevel } from './types.js';

/**
 * Package ratio (包装比例) as printed in master data and in the relation file's `packageSpec`:
 * big:middle:small, e.g. `1:5:10`, or big:small for two-level packaging, e.g. `1:10`.
 * The figures are totals per one big pack (1 case = 5 middles = 10 units), so every figure must
 * divide the next one: `1:4:10` cannot be packed and is rejected.
 */
export interface PackageRatio {
  /** Normalised text, e.g. `1:5:10`. */
  spec: string;
  /** Number of levels: 2 (case → unit) or 3 (case → middle → unit). */
  cascade: 2 | 3;
  /** Middles per case (3-level only). */
  middlesPerCase?: number;
  /** Units per case. */
  unitsPerCase: number;
}

export type RatioResult = { ok: true; ratio: PackageRatio } | { ok: false; error: string };

// Producers write full-width colons and spaces as often as ASCII ones; `*` and `/` never mean ratio.
const SEPARATORS = /\s*[:：]\s*/;

export function parsePackageRatio(text: string): RatioResult {
  const t = text.trim();
  if (t === '') return { ok: false, error: 'empty package ratio' };
  const parts = t.split(SEPARATORS);
  if (parts.length < 2 || parts.length > 3) return { ok: false, error: `"${t}" must have 2 or 3 parts (big:small or big:middle:small)` };
  const nums: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,6}$/.test(p)) return { ok: false, error: `"${p}" in "${t}" is not a whole number` };
    nums.push(Number(p));
  }
  if (nums[0] !== 1) return { ok: false, error: `"${t}" must start with 1 (one big pack)` };
  for (let i = 1; i < nums.length; i++) {
    const prev = nums[i - 1]!;
    const cur = nums[i]!;
    if (cur < prev) return { ok: false, error: `"${t}": ${cur} is smaller than ${prev}; levels only multiply` };
    if (cur % prev !== 0) return { ok: false, error: `"${t}": ${cur} is not a multiple of ${prev}; the packs would not divide evenly` };
  }
  const spec = nums.join(':');
  return nums.length === 3
    ? { ok: true, ratio: { spec, cascade: 3, middlesPerCase: nums[1]!, unitsPerCase: nums[2]! } }
    : { ok: true, ratio: { spec, cascade: 2, unitsPerCase: nums[1]! } };
}

/** Units (小码) one full pack of `level` holds under this ratio. */
export function unitsPerPack(ratio: PackageRatio, level: PackLevel): number | undefined {
  if (level === 1) return 1;
  if (ratio.cascade === 2) return ratio.unitsPerCase; // two-level: the big pack, however it is numbered
  return level === 3 ? ratio.unitsPerCase : ratio.unitsPerCase / ratio.middlesPerCase!;
}

/**
 * How many direct children of `childLevel` one full `parentLevel` pack holds (the "ratio step").
 * Undefined when the ratio has no such pairing (a middle pack in a two-level product).
 */
export function childCapacity(ratio: PackageRatio, parentLevel: PackLevel, childLevel: PackLevel): number | undefined {
  if (parentLevel <= childLevel) return undefined;
  if (ratio.cascade === 2 && childLevel === 2) return undefined;
  const p = unitsPerPack(ratio, parentLevel);
  const c = unitsPerPack(ratio, childLevel);
  return p === undefined || c === undefined ? undefined : p / c;
}
