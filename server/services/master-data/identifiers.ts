import type { Knex } from 'knex';
import type { NewIdentifier, ProductIdentifiersRepository } from '../../../db/repositories/product-identifiers.repository.js';
import type { Queryable } from '../../../db/repositories/tx.js';
import type { IdentifierField } from '../../contract/master-data.js';
import type { Localized } from '../../contract/views.js';
import { identifierKind, identifierLevel } from './product-rules.js';

/** The identifiers one product should end up with; `owner` names it (its id, or its number before it exists). */
export interface IdentifierClaim {
  owner: { id?: number; code: string };
  identifiers: Partial<Record<IdentifierField, string | null>>;
}

export interface IdentifierConflict {
  claim: number;
  field: IdentifierField;
  value: string;
  reason: Localized;
}

/**
 * Values already active for ANOTHER product, in one query per kind and chunk (not per row): a
 * commodity code or prefix names one product and level, or the dock could not tell what it scanned.
 */
export async function findIdentifierConflicts(q: Queryable, repo: ProductIdentifiersRepository, claims: readonly IdentifierClaim[]): Promise<IdentifierConflict[]> {
  const wanted = { gtin: [] as string[], prefix: [] as string[] };
  for (const c of claims) for (const [f, v] of entries(c.identifiers)) if (v) wanted[identifierKind(f)].push(v);
  const held = [...(await repo.activeOwners(q, 'gtin', wanted.gtin)), ...(await repo.activeOwners(q, 'prefix', wanted.prefix))];
  if (!held.length) return [];
  const byValue = new Map(held.map((h) => [`${h.kind}:${h.value}`, h]));
  const out: IdentifierConflict[] = [];
  claims.forEach((c, i) => {
    for (const [f, v] of entries(c.identifiers)) {
      const h = v ? byValue.get(`${identifierKind(f)}:${v}`) : undefined;
      if (!h || (c.owner.id !== undefined ? h.productId === c.owner.id : h.productCode === c.owner.code)) continue;
      const what = h.kind === 'gtin' ? { zh: '商品码', en: 'commodity code' } : { zh: '追溯码前缀', en: 'trace-code prefix' };
      out.push({
        claim: i,
        field: f,
        value: v!,
        reason: {
          'zh-CN': `${v} 已是药品「${h.productCode} ${h.productName}」的${h.level}级${what.zh}`,
          en: `${v} is already the level-${h.level} ${what.en} of product ${h.productCode} (${h.productName})`,
        },
      });
    }
  });
  return out;
}

/**
 * Makes each product's active mappings match its claim: a changed level retires the old value and
 * activates the new one; a value moving between levels of the same product is retired first so
 * the one-active-per-value index never sees two. Set-based: one read, chunked writes.
 */
export async function applyIdentifiers(
  trx: Knex.Transaction,
  repo: ProductIdentifiersRepository,
  claims: ReadonlyArray<{ productId: number; identifiers: IdentifierClaim['identifiers'] }>,
  operatorId: number | null,
  now: number,
  detail: Record<string, unknown>,
): Promise<void> {
  const relevant = claims.filter((c) => Object.keys(c.identifiers).length > 0);
  if (!relevant.length) return;
  const current = await repo.listFor(trx, relevant.map((c) => c.productId), ['active']);
  const byProduct = new Map<number, typeof current>();
  for (const r of current) byProduct.set(r.productId, [...(byProduct.get(r.productId) ?? []), r]);
  const retire = new Set<number>();
  const insert: NewIdentifier[] = [];
  for (const c of relevant) {
    const mine = byProduct.get(c.productId) ?? [];
    for (const [f, v] of entries(c.identifiers)) {
      const kind = identifierKind(f);
      const level = identifierLevel(f);
      const atLevel = mine.find((r) => r.kind === kind && r.level === level);
      if (atLevel && atLevel.value === v) continue;
      if (atLevel) retire.add(atLevel.id);
      if (v === null) continue;
      const elsewhere = mine.find((r) => r.kind === kind && r.value === v && r.level !== level);
      if (elsewhere) retire.add(elsewhere.id);
      insert.push({ productId: c.productId, level, kind, value: v });
    }
  }
  await repo.retire(trx, [...retire], operatorId, now, detail);
  await repo.insertActive(trx, insert, operatorId, now, detail);
}

function entries(ids: IdentifierClaim['identifiers']): Array<[IdentifierField, string | null]> {
  return Object.entries(ids).filter((e): e is [IdentifierField, string | null] => e[1] !== undefined);
}
