import { childCapacity } from './ratio.js';
import { hierarchyMessage, type HierarchyReason, type HierarchyWarning, type ReasonFacts } from './reasons.js';
import type { HierarchyView, LocalizedMessage, PackNode } from './types.js';

export interface PackRejection {
  ok: false;
  reason: HierarchyReason;
  /** The offending codes, the scanned child first. */
  codes: string[];
  message: LocalizedMessage;
}

export interface PackWarning {
  reason: HierarchyWarning;
  codes: string[];
  message: LocalizedMessage;
}

/** 零头: the parent is not full after this child. Flagged, never rejected (DOMAIN.md §3). */
export interface PartialFill {
  parent: string;
  filled: number;
  capacity: number;
}

export type PackCheck = { ok: true; warnings: PackWarning[]; partial?: PartialFill } | PackRejection;

// Levels stop at 3, so any longer parent chain is corrupt data; the bound keeps a loop from hanging a scan.
const MAX_DEPTH = 16;

function reject(reason: HierarchyReason, codes: string[], facts: ReasonFacts): PackRejection {
  return { ok: false, reason, codes, message: hierarchyMessage(reason, facts) };
}

/**
 * May `child` go into `parent` now? Pure: reads the view, changes nothing. `parent` and `child`
 * are the scanned packs as the three-code mapping resolved them; the view holds what is stored.
 * Rules run in a fixed order so the same scan always gets the same reason.
 */
export function checkPack(parent: PackNode, child: PackNode, view: HierarchyView): PackCheck {
  const base: ReasonFacts = { child: child.code, childLevel: child.level, parent: parent.code, parentLevel: parent.level };
  if (parent.code === child.code) return reject('same_code', [child.code], base);

  // A code is unique forever: the stored pack with this code must be the scanned one.
  for (const scanned of [child, parent]) {
    const stored = view.getNode(scanned.code);
    if (stored && (stored.level !== scanned.level || stored.productKey !== scanned.productKey)) {
      const was = `level ${stored.level}, ${stored.productKey}`;
      return reject('code_conflict', [scanned.code], { ...base, child: scanned.code, childValue: was });
    }
  }

  // Exactly one parent; a packed code stays out of any other pack until unpacked (拆箱).
  const current = view.getNode(child.code)?.parent ?? child.parent;
  if (current === parent.code) return reject('already_in_this_parent', [child.code, parent.code], base);
  if (current !== undefined) {
    const other = view.getNode(current);
    return reject('already_packed', [child.code, current], { ...base, other: current, ...(other ? { otherLevel: other.level } : {}) });
  }

  const path = ancestry(parent.code, view);
  const loopAt = path.indexOf(child.code);
  if (loopAt >= 0) {
    const chain = path.slice(0, loopAt + 1);
    return reject('cycle', [child.code, ...chain.filter((c) => c !== child.code)], { ...base, childValue: [...chain].reverse().join(' ⊃ ') });
  }

  if (parent.level <= child.level) return reject('level_not_higher', [child.code, parent.code], base);
  if (parent.productKey !== child.productKey) {
    return reject('product_mismatch', [child.code, parent.code], { ...base, childValue: child.productKey, parentValue: parent.productKey });
  }

  const warnings: PackWarning[] = [];
  if (child.batch !== undefined && parent.batch !== undefined && child.batch !== parent.batch) {
    const facts = { ...base, childValue: child.batch, parentValue: parent.batch };
    warnings.push({ reason: 'batch_mismatch', codes: [child.code, parent.code], message: hierarchyMessage('batch_mismatch', facts) });
  }

  const ratio = view.ratioFor(parent.productKey);
  const capacity = ratio ? childCapacity(ratio, parent.level, child.level) : undefined;
  if (capacity === undefined) return { ok: true, warnings };
  const filled = view.childrenOf(parent.code).length;
  if (filled >= capacity) return reject('parent_full', [child.code, parent.code], { ...base, filled, capacity });
  return filled + 1 < capacity
    ? { ok: true, warnings, partial: { parent: parent.code, filled: filled + 1, capacity } }
    : { ok: true, warnings };
}

/** `code` first, then its parent, grandparent … as stored. Stops at a repeat or MAX_DEPTH. */
export function ancestry(code: string, view: HierarchyView): string[] {
  const out = [code];
  let next = view.getNode(code)?.parent;
  while (next !== undefined && out.length < MAX_DEPTH && !out.includes(next)) {
    out.push(next);
    next = view.getNode(next)?.parent;
  }
  return out;
}

export type UnpackCheck = { ok: true; parent: string } | PackRejection;

/** 拆箱: only a packed code can be taken out; the caller records the event and clears `parent`. */
export function checkUnpack(child: PackNode, view: HierarchyView): UnpackCheck {
  const parent = view.getNode(child.code)?.parent;
  if (parent === undefined) return reject('not_packed', [child.code], { child: child.code, childLevel: child.level });
  return { ok: true, parent };
}

/**
 * Fill state of a parent when the operator closes it: `partial` is the 零头 flag. Undefined capacity
 * when master data has no ratio for the product.
 */
export function fillOf(parent: PackNode, view: HierarchyView): { filled: number; capacity?: number; partial: boolean } {
  const children = view.childrenOf(parent.code);
  const ratio = view.ratioFor(parent.productKey);
  // An empty parent is measured against its usual content: middles in a 3-level case, else units.
  const childLevel = children[0]?.level ?? (ratio?.cascade === 3 && parent.level === 3 ? 2 : 1);
  const capacity = ratio ? childCapacity(ratio, parent.level, childLevel) : undefined;
  return capacity === undefined
    ? { filled: children.length, partial: false }
    : { filled: children.length, capacity, partial: children.length < capacity };
}
