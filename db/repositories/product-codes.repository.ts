import { gtinSpellings, toProductCodeRow, type IdentifierKind, type IdentifierStatus, type ProductCodeRecord, type ProductCodeRow as BaseRow } from './product-identifiers.repository.js';
import { insertedId, type Queryable } from './tx.js';

export type ProductCodeKind = IdentifierKind;
export type ProductCodeStatus = IdentifierStatus;

/** A mapping row with its product's name, for the learn flow's approval list. */
export interface ProductCodeRow extends BaseRow {
  productName: string;
}

const toRow = (r: ProductCodeRecord & { product_name?: string }): ProductCodeRow => ({ ...toProductCodeRow(r), productName: r.product_name ?? '' });

/** The three-code mapping (三码合一) as the workstation keeps it: prefix/GTIN → product and level. */
export class ProductCodesRepository {
  private select(q: Queryable) {
    return q('product_codes as pc').join('products as p', 'p.id', 'pc.product_id').select('pc.*', 'p.name as product_name');
  }

  async active(q: Queryable, kind: ProductCodeKind, value: string): Promise<ProductCodeRow | undefined> {
    const r = (await this.select(q).where({ 'pc.kind': kind, 'pc.value': value, 'pc.status': 'active' }).first()) as (ProductCodeRecord & { product_name: string }) | undefined;
    return r ? toRow(r) : undefined;
  }

  /** The active mapping of a commodity code, whichever spelling (EAN-13, GTIN-14) it was stored in. */
  async activeGtin(q: Queryable, gtin: string): Promise<ProductCodeRow | undefined> {
    const r = (await this.select(q).where({ 'pc.kind': 'gtin', 'pc.status': 'active' }).whereIn('pc.value', gtinSpellings(gtin)).first()) as (ProductCodeRecord & { product_name: string }) | undefined;
    return r ? toRow(r) : undefined;
  }

  async pending(q: Queryable, kind: ProductCodeKind, value: string): Promise<ProductCodeRow | undefined> {
    const r = (await this.select(q).where({ 'pc.kind': kind, 'pc.value': value, 'pc.status': 'pending' }).first()) as (ProductCodeRecord & { product_name: string }) | undefined;
    return r ? toRow(r) : undefined;
  }

  async get(q: Queryable, id: number): Promise<ProductCodeRow | undefined> {
    const r = (await this.select(q).where('pc.id', id).first()) as (ProductCodeRecord & { product_name: string }) | undefined;
    return r ? toRow(r) : undefined;
  }

  async list(q: Queryable, f: { status?: ProductCodeStatus; productId?: number; limit: number }): Promise<ProductCodeRow[]> {
    const query = this.select(q).orderBy('pc.id', 'desc').limit(f.limit);
    if (f.status) query.where('pc.status', f.status);
    if (f.productId) query.where('pc.product_id', f.productId);
    return ((await query) as Array<ProductCodeRecord & { product_name: string }>).map(toRow);
  }

  /** The commodity code (GTIN) of a product at a level, for the three codes of a scanned pack. */
  async propose(q: Queryable, p: { productId: number; level: number; kind: ProductCodeKind; value: string; by: number; at: number }): Promise<number> {
    const id = insertedId(await q('product_codes')
      .insert({ product_id: p.productId, level: p.level, kind: p.kind, value: p.value, status: 'pending', proposed_by: p.by, proposed_at: p.at })
      .returning('id'));
        await this.event(q, id, 'proposed', p.by, p.at);
    return id;
  }

  async decide(q: Queryable, id: number, status: 'active' | 'rejected', by: number, at: number, note?: string): Promise<void> {
    await q('product_codes').where({ id, status: 'pending' }).update({ status, decided_by: by, decided_at: at });
    await this.event(q, id, status === 'active' ? 'approved' : 'rejected', by, at, note);
  }

  async history(q: Queryable, id: number): Promise<Array<{ action: string; operatorId: number | null; at: number; detail: string | null }>> {
    const rows = (await q('product_code_events').where({ product_code_id: id }).orderBy('id')) as Array<Record<string, unknown>>;
    return rows.map((r) => ({ action: r.action as string, operatorId: r.operator_id === null ? null : Number(r.operator_id), at: Number(r.at), detail: (r.detail as string | null) ?? null }));
  }

  private async event(q: Queryable, id: number, action: string, by: number | null, at: number, detail?: string): Promise<void> {
    await q('product_code_events').insert({ product_code_id: id, action, operator_id: by, at, detail: detail ?? null });
  }
}
