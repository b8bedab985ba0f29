import { describe, expect, it } from 'vitest';
import { checkPack, fillOf } from './check.js';
import { MemoryHierarchy } from './memory-view.js';
import { parsePackageRatio, type PackageRatio } from './ratio.js';
import { HIERARCHY_REASONS, hierarchyMessage, isHierarchyReason } from './reasons.js';
import type { PackLevel, PackNode } from './types.js';

const r = parsePackageRatio('1:5:10');
if (!r.ok) throw new Error(r.error);
const RATIO: PackageRatio = r.ratio;

const node = (code: string, level: PackLevel, productKey = 'P1', batch = 'B1'): PackNode => ({ code, level, productKey, batch });
const CASE = node('C1', 3);
const CASE2 = node('C2', 3);
const MID = node('M1', 2);
const MID2 = node('M2', 2);
const UNIT = node('U1', 1);

function world(): MemoryHierarchy {
  return new MemoryHierarchy({ P1: RATIO }).put(CASE).put(CASE2).put(MID).put(MID2).put(UNIT);
}

describe('checkPack — every rule of DOMAIN.md §3 names the offending codes', () => {
  it('accepts a valid pack and flags the partially filled parent (零头)', () => {
    const h = world();
    expect(h.pack(MID, UNIT)).toEqual({ ok: true, warnings: [], partial: { parent: 'M1', filled: 1, capacity: 2 } });
    expect(h.pack(MID, node('U2', 1))).toEqual({ ok: true, warnings: [] });
    expect(h.getNode('U2')?.parent).toBe('M1');
  });

  it('same_code: a pack cannot go into itself', () => {
    expect(checkPack(CASE, CASE, world())).toMatchObject({ ok: false, reason: 'same_code', codes: ['C1'] });
  });

  it('code_conflict: a code is unique — the stored pack with that code is another level or product', () => {
    const res = checkPack(MID, node('U1', 1, 'P2'), world());
    expect(res).toMatchObject({ ok: false, reason: 'code_conflict', codes: ['U1'] });
    if (!res.ok) expect(res.message.en).toContain('P1');
    expect(checkPack(node('M1', 3), UNIT, world())).toMatchObject({ ok: false, reason: 'code_conflict', codes: ['M1'] });
  });

  it('already_packed: one parent only, named in the message; re-pack works after unpack', () => {
    const h = world();
    expect(h.pack(CASE, MID).ok).toBe(true);
    const res = h.pack(CASE2, MID);
    expect(res).toMatchObject({ ok: false, reason: 'already_packed', codes: ['M1', 'C1'] });
    if (!res.ok) {
      expect(res.message.en).toBe('This middle pack M1 is already inside case C1; unpack it from there first.');
      expect(res.message['zh-CN']).toContain('大码 C1');
    }
    expect(h.unpack(MID)).toEqual({ ok: true, parent: 'C1' });
    expect(h.childrenOf('C1')).toEqual([]);
    expect(h.pack(CASE2, MID).ok).toBe(true);
    expect(h.getNode('M1')?.parent).toBe('C2');
  });

  it('already_packed also holds for a scanned child whose parent the caller knows but the view does not', () => {
    expect(checkPack(CASE, { ...node('M9', 2), parent: 'C7' }, world())).toMatchObject({ reason: 'already_packed', codes: ['M9', 'C7'] });
  });

  it('already_in_this_parent: the same child scanned twice into the same parent', () => {
    const h = world();
    h.pack(MID, UNIT);
    expect(h.pack(MID, UNIT)).toMatchObject({ ok: false, reason: 'already_in_this_parent', codes: ['U1', 'M1'] });
  });

  it('cycle: a pack cannot go into something it contains, named along the chain', () => {
    // Levels are wrong on purpose (stored data from a bad import): the cycle must still be caught first.
    const h = new MemoryHierarchy().put(node('A', 3)).put({ ...node('B', 2), parent: 'A' }).put({ ...node('X', 1), parent: 'B' });
    const res = checkPack(node('X', 1), node('A', 3), h);
    expect(res).toMatchObject({ ok: false, reason: 'cycle', codes: ['A', 'X', 'B'] });
    if (!res.ok) expect(res.message.en).toContain('A ⊃ B ⊃ X');
  });

  it('level_not_higher: parent level must exceed child level', () => {
    expect(checkPack(MID, MID2, world())).toMatchObject({ ok: false, reason: 'level_not_higher', codes: ['M2', 'M1'] });
    expect(checkPack(UNIT, CASE, world())).toMatchObject({ ok: false, reason: 'level_not_higher', codes: ['C1', 'U1'] });
  });

  it('product_mismatch: child product = parent product', () => {
    const res = checkPack(CASE, node('M5', 2, 'P2'), world());
    expect(res).toMatchObject({ ok: false, reason: 'product_mismatch', codes: ['M5', 'C1'] });
    if (!res.ok) expect(res.message['zh-CN']).toContain('P2');
  });

  it('batch_mismatch only warns: the pack goes in', () => {
    const h = world();
    const res = h.pack(MID, node('U7', 1, 'P1', 'B2'));
    expect(res.ok).toBe(true);
    if (res.ok) expect(res.warnings).toMatchObject([{ reason: 'batch_mismatch', codes: ['U7', 'M1'] }]);
    expect(h.getNode('U7')?.parent).toBe('M1');
  });

  it('parent_full: child count ≤ the ratio step; the full parent and the extra child are named', () => {
    const h = world();
    for (let i = 1; i <= 5; i++) expect(h.pack(CASE, node(`M1${i}`, 2)).ok).toBe(true);
    expect(fillOf(CASE, h)).toEqual({ filled: 5, capacity: 5, partial: false });
    const res = h.pack(CASE, node('M16', 2));
    expect(res).toMatchObject({ ok: false, reason: 'parent_full', codes: ['M16', 'C1'] });
    if (!res.ok) expect(res.message.en).toContain('(5 of 5)');
  });

  it('without a ratio in master data the count is not limited', () => {
    const h = new MemoryHierarchy().put(MID);
    for (let i = 0; i < 3; i++) expect(h.pack(MID, node(`U${i}`, 1))).toEqual({ ok: true, warnings: [] });
  });

  it('fillOf flags an empty or partial parent as 零头 when closing it', () => {
    const h = world();
    expect(fillOf(CASE, h)).toEqual({ filled: 0, capacity: 5, partial: true });
    h.pack(MID, UNIT);
    expect(fillOf(MID, h)).toEqual({ filled: 1, capacity: 2, partial: true });
  });

  it('not_packed: unpacking a loose code is rejected', () => {
    expect(world().unpack(UNIT)).toMatchObject({ ok: false, reason: 'not_packed', codes: ['U1'] });
  });

  it('every reason code has a zh-CN and an en message naming the child', () => {
    for (const reason of HIERARCHY_REASONS) {
      const m = hierarchyMessage(reason, { child: '83857930000879766660', childLevel: 1, parent: 'C1', parentLevel: 3, other: 'C2', otherLevel: 3 });
      expect(m['zh-CN'], reason).toContain('83857930000879766660');
      expect(m.en, reason).toContain('83857930000879766660');
      expect(m['zh-CN'], reason).not.toBe(m.en);
    }
    expect(isHierarchyReason('already_packed')).toBe(true);
    expect(isHierarchyReason('nope')).toBe(false);
    expect(new Set(HIERARCHY_REASONS).size).toBe(HIERARCHY_REASONS.length);
  });
});
