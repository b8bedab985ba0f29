import type { Knex } from 'knex';
import type { PackRow } from '../../../db/repositories/packs.repository.js';
import type { ProductRow } from '../../../db/repositories/products.repository.js';
import type { DecodedFields } from '../../contract/views.js';
import type { DockRepos } from './repos.js';

/** A scanned pack as the dock sees it: the code, and its product and level via the three-code mapping. */
export interface ResolvedPack {
  code: string;
  level: number;
  product: ProductRow | undefined;
  /** Product identity for the hierarchy rules: the product id, else the relation file's productCode. */
  productKey: string | undefined;
  batch: string | null;
  expiry: string | null;
  pack: PackRow | undefined;
  prefix: string | null;
  gtin: string | null;
}

export async function resolvePack(trx: Knex.Transaction, repos: DockRepos, code: string, fields: DecodedFields | null): Promise<ResolvedPack> {
  const pack = await repos.packs.get(trx, code);
  const prefix = fields?.prefix ?? (/^\d{20}$/.test(code) ? code.slice(0, 7) : null);
  const gtin = fields?.gtin ?? null;
  let mapping = prefix ? await repos.productCodes.active(trx, 'prefix', prefix) : undefined;
  if (!mapping && gtin) mapping = await repos.productCodes.activeGtin(trx, gtin);
  const productId = pack?.productId ?? mapping?.productId;
  const product = productId !== undefined && productId !== null ? await repos.products.get(trx, productId) : undefined;
  return {
    code,
    level: pack?.level ?? mapping?.level ?? 1,
    product,
    productKey: product ? String(product.id) : pack?.productCode ? `file:${pack.productCode}` : undefined,
    batch: pack?.batch ?? fields?.batch ?? null,
    expiry: pack?.expiry ?? fields?.expiry ?? null,
    pack,
    prefix,
    gtin,
  };
}
