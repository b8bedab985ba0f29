import type { Knex } from 'knex';
import type { PackRow } from '../../../db/repositories/packs.repository.js';
import type { StationContextRow } from '../../../db/repositories/station-context.repository.js';
import { checkPack, fillOf, isPackLevel, MemoryHierarchy, parsePackageRatio, type PackLevel, type PackNode, type PackageRatio } from '../../domain/hierarchy/index.js';
import type { ScanActor } from '../scan.service.js';
import { hierarchyRejected, notPacked, rejected, type DockOutcome } from './outcome.js';
import type { DockRepos } from './repos.js';
import type { Queryable } from '../../../db/repositories/tx.js';
import type { ResolvedPack } from './resolve.js';

export interface AggregationScan {
  trx: Knex.Transaction;
  actor: ScanActor;
  stationId: number;
  context: StationContextRow;
  pack: ResolvedPack;
  at: number;
}

const levelOf = (n: number): PackLevel => (isPackLevel(n) ? n : 1);

/** Product identity of a stored pack; a case's children share one prefix, so each is looked up once. */
async function productKeyOf(q: Queryable, repos: DockRepos, p: PackRow, byPrefix: Map<string, string | undefined>): Promise<string> {
  if (p.productId !== null) return String(p.productId);
  const prefix = /^\d{20}$/.test(p.code) ? p.code.slice(0, 7) : undefined;
  if (prefix !== undefined && !byPrefix.has(prefix)) {
    const m = await repos.productCodes.active(q, 'prefix', prefix);
    byPrefix.set(prefix, m ? String(m.productId) : undefined);
  }
  return (prefix !== undefined ? byPrefix.get(prefix) : undefined) ?? `file:${p.productCode ?? '?'}`;
}

/**
 * The stored hierarchy around one parent and one child, loaded into memory so the pure rules of
 * domain/hierarchy decide (parent chain for cycles, current children for the count).
 */
async function viewAround(q: Queryable, repos: DockRepos, parent: string, child: string, extra: PackNode[] = []): Promise<MemoryHierarchy> {
  const rows = [...(await repos.packs.getMany(q, [parent, child])), ...(await repos.packs.ancestors(q, parent)), ...(await repos.packs.children(q, parent))];
  const ratios: Record<string, PackageRatio> = {};
  const nodes: PackNode[] = [...extra];
  const byPrefix = new Map<string, string | undefined>();
  for (const r of rows) {
    nodes.push({
      code: r.code,
      level: levelOf(r.level),
      productKey: await productKeyOf(q, repos, r, byPrefix),
      ...(r.batch ? { batch: r.batch } : {}),
      ...(r.parentCode ? { parent: r.parentCode } : {}),
    });
  }
  for (const node of nodes) {
    if (!(node.productKey in ratios) && /^\d+$/.test(node.productKey)) {
      const product = await repos.products.get(q, Number(node.productKey));
      const parsed = product?.ratio ? parsePackageRatio(product.ratio) : undefined;
      if (parsed?.ok) ratios[node.productKey] = parsed.ratio;
    }
  }
  const view = new MemoryHierarchy(ratios);
  for (const n of nodes) view.put(n);
  return view;
}

/** How full a stored parent is against its product's ratio (the aggregation screen and the 零头 flag). */
export async function storedFill(q: Queryable, repos: DockRepos, code: string): Promise<{ filled: number; capacity: number | null; partial: boolean } | undefined> {
  const view = await viewAround(q, repos, code, code);
  const node = view.getNode(code);
  if (!node) return undefined;
  const f = fillOf(node, view);
  return { filled: f.filled, capacity: f.capacity ?? null, partial: f.partial };
}

const asNode = (p: ResolvedPack): PackNode => ({
  code: p.code,
  level: levelOf(p.level),
  productKey: p.productKey ?? '?',
  ...(p.batch ? { batch: p.batch } : {}),
});

/** Aggregation (装箱/拆箱): scan a parent, then its children; or, in unpack mode, take packs out. */
export async function decideAggregation(s: AggregationScan, repos: DockRepos): Promise<DockOutcome> {
  const { trx, pack, context } = s;
  if (context.mode === 'unpack') return decideUnpack(s, repos);
  const open = context.openParent ? await repos.packs.get(trx, context.openParent) : undefined;
  if (pack.level >= 2 && (!open || pack.level >= open.level)) return openParent(s, repos, open);
  if (!open) return rejected('parent_unknown', { code: pack.code });

  const view = await viewAround(trx, repos, open.code, pack.code);
  const parentNode = view.getNode(open.code)!;
  const check = checkPack(parentNode, asNode(pack), view);
  if (!check.ok) return hierarchyRejected(check.reason, check.codes, check.message);
  const fill = check.partial ? { filled: check.partial.filled, capacity: check.partial.capacity, partial: true } : fillAfter(view, parentNode);
  return {
    decision: 'accepted',
    reasonCode: null,
    reason: null,
    effect: { action: 'pack', units: pack.level === 1 ? 1 : (await repos.packs.subtreeCounts(trx, pack.code)).units, codes: 1, parent: open.code, fill, ...(check.warnings.length ? { warnings: check.warnings.map((w) => w.message) } : {}) },
    apply: async (t, scanId) => {
      await repos.packs.insertIfMissing(t, { code: pack.code, level: pack.level, productId: pack.product?.id ?? null, batch: pack.batch, expiry: pack.expiry, at: s.at });
      await repos.packs.setParent(t, [pack.code], open.code, s.at);
      await repos.packs.appendEvents(t, [{ kind: 'pack', code: pack.code, parentCode: open.code, scanId, stationId: s.stationId, operatorId: s.actor.operatorId, unitId: s.actor.unitId, at: s.at }]);
    },
  };
}

function fillAfter(view: MemoryHierarchy, parent: PackNode): { filled: number; capacity: number | null; partial: boolean } {
  const f = fillOf(parent, view);
  // The child is not in the view yet: count it.
  const filled = f.filled + 1;
  return { filled, capacity: f.capacity ?? null, partial: f.capacity !== undefined && filled < f.capacity };
}

async function openParent(s: AggregationScan, repos: DockRepos, previous: PackRow | undefined): Promise<DockOutcome> {
  const { trx, pack } = s;
  if (!pack.productKey) return rejected('unknown_product', { code: pack.code, prefix: pack.prefix ?? pack.code.slice(0, 7) });
  const view = await viewAround(trx, repos, pack.code, pack.code, pack.pack ? [] : [asNode(pack)]);
  const f = fillOf(view.getNode(pack.code)!, view);
  const warnings = [];
  // Leaving a parent that is not full: 零头, flagged for the supervisor, never refused (DOMAIN.md §3).
  if (previous && previous.code !== pack.code) {
    const pf = await storedFill(trx, repos, previous.code);
    if (pf?.partial) warnings.push({ 'zh-CN': `上一箱 ${previous.code} 未装满（${pf.filled}/${pf.capacity}），已标记为零头箱`, en: `The previous case ${previous.code} is not full (${pf.filled}/${pf.capacity}): flagged as a partial case` });
  }
  return {
    decision: 'accepted',
    reasonCode: null,
    reason: null,
    effect: { action: 'open_parent', units: 0, codes: 0, parent: pack.code, fill: { filled: f.filled, capacity: f.capacity ?? null, partial: f.partial }, ...(warnings.length ? { warnings } : {}) },
    contextChanged: true,
    apply: async (t) => {
      await repos.packs.insertIfMissing(t, { code: pack.code, level: pack.level, productId: pack.product?.id ?? null, batch: pack.batch, expiry: pack.expiry, at: s.at });
      await repos.context.update(t, s.stationId, { openParent: pack.code }, s.at);
    },
  };
}

/** 拆箱: a child scanned leaves its parent; a parent scanned is opened (all its children leave). */
async function decideUnpack(s: AggregationScan, repos: DockRepos): Promise<DockOutcome> {
  const { trx, pack } = s;
  const children = pack.pack ? await repos.packs.children(trx, pack.code) : [];
  const parent = pack.pack?.parentCode ?? null;
  if (children.length === 0 && parent === null) return notPacked(pack.code, pack.level);
  const moves = children.length > 0 ? children.map((c) => ({ code: c.code, parent: pack.code })) : [{ code: pack.code, parent: parent! }];
  return {
    decision: 'accepted',
    reasonCode: null,
    reason: null,
    effect: { action: 'unpack', units: children.length > 0 ? children.length : 1, codes: moves.length, parent: moves[0]!.parent },
    apply: async (t, scanId) => {
      await repos.packs.setParent(t, moves.map((m) => m.code), null, s.at);
      await repos.packs.appendEvents(
        t,
        moves.map((m) => ({ kind: 'unpack' as const, code: m.code, parentCode: m.parent, scanId, stationId: s.stationId, operatorId: s.actor.operatorId, unitId: s.actor.unitId, reason: '拆箱', at: s.at })),
      );
    },
  };
}

