import type { LocalizedMessage } from '../codes/index.js';
import type { PackageRatio } from './ratio.js';

/**
 * Packaging level as the 码上放心 relation files number it (`packLayer`, DOMAIN.md §3):
 * 1 = unit / 小码 (one box), 2 = middle pack / 中码, 3 = case / 大码.
 */
export type PackLevel = 1 | 2 | 3;

export const PACK_LEVELS: readonly PackLevel[] = [1, 2, 3];

export function isPackLevel(n: unknown): n is PackLevel {
  return n === 1 || n === 2 || n === 3;
}

/** One physical pack as the hierarchy rules see it. `productKey` is whatever the caller resolves the three-code mapping to. */
export interface PackNode {
  code: string;
  level: PackLevel;
  productKey: string;
  batch?: string;
  /** The pack this one currently sits in. Absent when loose or unpacked (拆箱 clears it; the event stays in the journal). */
  parent?: string;
}

/**
 * The current hierarchy, implemented by the caller (the database in production, MemoryHierarchy in
 * tests). Reads only: the rules never mutate, so one implementation can serve a live check inside
 * a transaction as well as a dry run.
 */
export interface HierarchyView {
  getNode(code: string): PackNode | undefined;
  /** Direct children currently inside `code` (unpacked ones excluded). A case holds at most a few hundred. */
  childrenOf(code: string): readonly PackNode[];
  /** The product's package ratio (`1:5:10`), if master data knows it; without it the count rule is skipped. */
  ratioFor(productKey: string): PackageRatio | undefined;
}

export type { LocalizedMessage };
