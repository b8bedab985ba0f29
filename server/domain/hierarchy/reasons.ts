import type { LocalizedMessage, PackLevel } from './types.js';

/**
 * Stable reason codes of the hierarchy rules (DOMAIN.md §3). They are stored with every rejected
 * aggregation scan, so never rename one; add new ones. Every message names the codes involved
 * because the dock worker has to find those packs on the pallet.
 */
export const HIERARCHY_REASONS = [
  'same_code',
  'code_conflict',
  'already_in_this_parent',
  'already_packed',
  'cycle',
  'level_not_higher',
  'product_mismatch',
  'parent_full',
  'not_packed',
] as const;

export type HierarchyReason = (typeof HIERARCHY_REASONS)[number];

/** Not a rejection: the pack goes in, the screen shows the warning (DOMAIN.md §3: "same batch (warn otherwise)"). */
export type HierarchyWarning = 'batch_mismatch';

export interface ReasonFacts {
  child: string;
  childLevel: PackLevel;
  parent?: string;
  parentLevel?: PackLevel;
  /** The other pack involved: the case the child already sits in, or the stored identity. */
  other?: string;
  otherLevel?: PackLevel;
  filled?: number;
  capacity?: number;
  childValue?: string;
  parentValue?: string;
}

const ZH_LEVEL: Record<PackLevel, string> = { 1: '小码', 2: '中码', 3: '大码' };
const EN_LEVEL: Record<PackLevel, string> = { 1: 'unit', 2: 'middle pack', 3: 'case' };

const zh = (l: PackLevel | undefined, code: string | undefined): string => `${l ? ZH_LEVEL[l] : ''} ${code ?? '?'}`.trim();
const en = (l: PackLevel | undefined, code: string | undefined): string => `${l ? EN_LEVEL[l] : 'pack'} ${code ?? '?'}`;

type Builder = (f: ReasonFacts) => [string, string];

const MESSAGES: Record<HierarchyReason | HierarchyWarning, Builder> = {
  same_code: (f) => [`不能把 ${f.child} 装进它自己。`, `${f.child} cannot be packed into itself.`],
  code_conflict: (f) => [
    `追溯码 ${f.child} 已登记为另一个包装（${f.childValue}），同一个码只能代表一个包装。`,
    `Code ${f.child} is already registered as a different pack (${f.childValue}); a code stands for one pack forever.`,
  ],
  already_in_this_parent: (f) => [
    `重复扫码：${zh(f.childLevel, f.child)} 已在 ${zh(f.parentLevel, f.parent)} 中。`,
    `Duplicate: ${en(f.childLevel, f.child)} is already inside ${en(f.parentLevel, f.parent)}.`,
  ],
  already_packed: (f) => [
    `${zh(f.childLevel, f.child)} 已装在 ${zh(f.otherLevel, f.other)} 中，请先从该箱拆出再装箱。`,
    `This ${en(f.childLevel, f.child)} is already inside ${en(f.otherLevel, f.other)}; unpack it from there first.`,
  ],
  cycle: (f) => [
    `不能把 ${zh(f.childLevel, f.child)} 装进 ${zh(f.parentLevel, f.parent)}：后者本身就在前者之中（${f.childValue}）。`,
    `${en(f.childLevel, f.child)} cannot go into ${en(f.parentLevel, f.parent)}: that one is itself inside it (${f.childValue}).`,
  ],
  level_not_higher: (f) => [
    `包装层级不对：${zh(f.childLevel, f.child)} 不能装进 ${zh(f.parentLevel, f.parent)}，只能大包装装小包装。`,
    `Wrong level: ${en(f.childLevel, f.child)} cannot go into ${en(f.parentLevel, f.parent)}; only a bigger pack holds a smaller one.`,
  ],
  product_mismatch: (f) => [
    `品种不符：${f.child}（${f.childValue}）与 ${f.parent}（${f.parentValue}）不是同一药品。`,
    `Wrong product: ${f.child} (${f.childValue}) is not the product of ${f.parent} (${f.parentValue}).`,
  ],
  parent_full: (f) => [
    `${zh(f.parentLevel, f.parent)} 已装满（${f.filled}/${f.capacity}），${f.child} 装不下。`,
    `${en(f.parentLevel, f.parent)} is full (${f.filled} of ${f.capacity}); ${f.child} does not fit.`,
  ],
  not_packed: (f) => [
    `${zh(f.childLevel, f.child)} 不在任何包装中，无需拆箱。`,
    `${en(f.childLevel, f.child)} is not inside any pack; nothing to unpack.`,
  ],
  batch_mismatch: (f) => [
    `注意批号不同：${f.child} 批号 ${f.childValue}，${f.parent} 批号 ${f.parentValue}。`,
    `Note, different batch: ${f.child} is batch ${f.childValue}, ${f.parent} is batch ${f.parentValue}.`,
  ],
};

export function hierarchyMessage(reason: HierarchyReason | HierarchyWarning, facts: ReasonFacts): LocalizedMessage {
  const [z, e] = MESSAGES[reason](facts);
  return { 'zh-CN': z, en: e };
}

export function isHierarchyReason(s: string): s is HierarchyReason {
  return (HIERARCHY_REASONS as readonly string[]).includes(s);
}
