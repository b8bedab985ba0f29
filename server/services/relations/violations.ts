import type { CheckOutcome, FillRow, ViolationRow } from '../../../db/repositories/relation-import.repository.js';
import type { RelationViolationReason, RelationViolationView } from '../../contract/relations.js';
import type { Localized } from '../../contract/views.js';
import { hierarchyMessage, isPackLevel, type PackLevel, type ReasonFacts } from '../../domain/hierarchy/index.js';

const ZH_LEVEL: Record<PackLevel, string> = { 1: '小码', 2: '中码', 3: '大码' };
const EN_LEVEL: Record<PackLevel, string> = { 1: 'unit', 2: 'middle pack', 3: 'case' };
const level = (n: number | null): PackLevel | undefined => (isPackLevel(n) ? n : undefined);
const zh = (l: number | null, code: string): string => {
  const x = level(l);
  return x ? `${ZH_LEVEL[x]} ${code}` : code;
};
const en = (l: number | null, code: string): string => {
  const x = level(l);
  return `${x ? EN_LEVEL[x] : 'pack'} ${code}`;
};

/** Offenders of the checks, in rule order, each with the codes to find on the pallet and why. */
export function violationsOf(check: CheckOutcome): { violations: RelationViolationView[]; total: number } {
  const out: RelationViolationView[] = [];
  for (const code of check.duplicates.codes) out.push({ reason: 'duplicate_in_file', codes: [code], message: duplicate(code) });
  for (const v of check.violations) out.push(codeViolation(v));
  for (const f of check.overfull) out.push({ reason: 'parent_full', codes: [f.parent], message: overfull(f) });
  const totals = new Map<string, number>();
  for (const v of check.violations) totals.set(v.reason, v.total);
  const total = check.duplicates.total + [...totals.values()].reduce((a, b) => a + b, 0) + (check.overfull[0]?.total ?? 0);
  return { violations: out, total };
}

function codeViolation(v: ViolationRow): RelationViolationView {
  const reason = v.reason as RelationViolationReason;
  const facts: ReasonFacts = { child: v.code, childLevel: level(v.level) ?? 1, parent: v.parent ?? undefined, parentLevel: level(v.parentLevel) };
  switch (reason) {
    case 'parent_missing':
      return { reason, codes: [v.code, v.parent!], message: parentMissing(v) };
    case 'code_conflict': {
      const was = `packLayer=${v.storedLevel ?? '?'}${v.storedProduct ? `, ${v.storedProduct}` : ''}`;
      return { reason, codes: [v.code], message: hierarchyMessage('code_conflict', { ...facts, childValue: was }) };
    }
    case 'already_packed':
      return { reason, codes: [v.code, v.storedParent!], message: hierarchyMessage('already_packed', { ...facts, other: v.storedParent ?? undefined }) };
    case 'product_mismatch': {
      const message = hierarchyMessage('product_mismatch', { ...facts, childValue: v.childProduct ?? '?', parentValue: v.parentProduct ?? '?' });
      return { reason, codes: [v.code, v.parent!], message };
    }
    case 'same_code':
      return { reason, codes: [v.code], message: hierarchyMessage('same_code', facts) };
    default:
      return { reason: 'level_not_higher', codes: [v.code, v.parent!], message: hierarchyMessage('level_not_higher', facts) };
  }
}

function duplicate(code: string): Localized {
  return { 'zh-CN': `追溯码 ${code} 在文件中出现了不止一次，一个码只能代表一个包装。`, en: `Code ${code} appears more than once in the file; a code stands for one pack.` };
}

function parentMissing(v: ViolationRow): Localized {
  return {
    'zh-CN': `${zh(v.level, v.code)} 的父码 ${v.parent} 既不在文件中，也没有登记过包装关系。`,
    en: `The parent ${v.parent} of ${en(v.level, v.code)} is neither in the file nor stored.`,
  };
}

function overfull(f: FillRow): Localized {
  return {
    'zh-CN': `${zh(f.parentLevel, f.parent)} 装了 ${f.filled} 个${ZH_LEVEL[level(f.childLevel) ?? 1]}，超过包装比例允许的 ${f.capacity} 个。`,
    en: `${en(f.parentLevel, f.parent)} holds ${f.filled} ${EN_LEVEL[level(f.childLevel) ?? 1]}s, more than the ${f.capacity} its package ratio allows.`,
  };
}
