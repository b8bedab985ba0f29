import type { Knex } from 'knex';
import type { PackRow } from '../../../db/repositories/packs.repository.js';
import type { DockProduct } from '../../../db/repositories/product-codes.repository.js';
import type { DecodedFields } from '../../contract/views.js';
import type { DockRepos } from './repos.js';

/** A scanned pack as the dock sees it: the code, and its product and level via the three-code mapping. */
export interface ResolvedPack {
  code: string;
  level: number;
  product: DockProduct | undefined;
  /** Product identity for the hierarchy rules: the product id, else the relation file's productCode. */
  productKey: string | undefined;
  batch: string | null;
  expiry: string | null;
  pack: PackRow | undefined;
  prefix: string | null;
  gtin: string | null;
}

/** GTINs are kept as scanned (13 digits) or as GTIN-14; match both spellings. */
export const gtinSpellings = (gtin: string): string[] => [...new Set([gtin, gtin.replace(/^0+(?=\d{13}$)/, ''), gtin.padStart(14, '0')])];

export async function resolvePack(trx: Knex.Transaction, repos: DockRepos, code: string, fields: DecodedFields | null): Promise<ResolvedPack> {
  const pack = await repos.packs.get(trx, code);
  const prefix = fields?.prefix ?? (/^\d{20}$/.test(code) ? code.slice(0, 7) : null);
  const gtin = fields?.gtin ?? null;
  let mapping = prefix ? await repos.productCodes.active(trx, 'prefix', prefix) : undefined;
  if (!mapping && gtin) {
    for (const g of gtinSpellings(gtin)) if ((mapping = await repos.productCodes.active(trx, 'gtin', g))) break;
  }
  const productId = pack?.productId ?? mapping?.productId;
  const product = productId !== undefined && productId !== null ? await repos.productCodes.product(trx, productId) : undefined;
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
