import type { Knex } from 'knex';
import { inJsonList, insertJsonRows, type JsonColumn } from './json-bulk.js';
import { gtinSpellings } from './product-identifiers.repository.js';
import type { Queryable } from './tx.js';

/** Products are global master data: every unit on this workstation sees the same catalogue. */
export interface ProductFields {
  code: string;
  name: string;
  genericName: string | null;
  spec: string | null;
  packageSpec: string | null;
  manufacturer: string | null;
  approvalNo: string | null;
  dosageForm: string | null;
  nhsaCode: string | null;
  nhsaKind: 'drug' | 'consumable' | null;
  ratio: string | null;
  prescription: boolean;
  ephedrine: boolean;
  narcoticCompound: boolean;
  specialControl: boolean;
  noCodeExempt: boolean;
  blocked: boolean;
}

export interface ProductRow extends ProductFields {
  id: number;
  createdAt: number;
  updatedAt: number;
}

export type ProductField = keyof ProductFields;

export const PRODUCT_COLUMNS: Record<ProductField, string> = {
  code: 'code',
  name: 'name',
  genericName: 'generic_name',
  spec: 'spec',
  packageSpec: 'package_spec',
  manufacturer: 'manufacturer',
  approvalNo: 'approval_no',
  dosageForm: 'dosage_form',
  nhsaCode: 'nhsa_code',
  nhsaKind: 'nhsa_kind',
  ratio: 'ratio',
  prescription: 'prescription',
  ephedrine: 'ephedrine',
  narcoticCompound: 'narcotic_compound',
  specialControl: 'special_control',
  noCodeExempt: 'no_code_exempt',
  blocked: 'blocked',
};
const FIELDS = Object.keys(PRODUCT_COLUMNS) as ProductField[];
const FLAGS = new Set<ProductField>(['prescription', 'ephedrine', 'narcoticCompound', 'specialControl', 'noCodeExempt', 'blocked']);

type ProductRecord = Record<string, unknown> & { id: number | string; created_at: number | string; updated_at: number | string };

export function toProductRow(r: ProductRecord): ProductRow {
  const row: Record<string, unknown> = { id: Number(r.id), createdAt: Number(r.created_at), updatedAt: Number(r.updated_at) };
  for (const f of FIELDS) row[f] = FLAGS.has(f) ? Boolean(r[PRODUCT_COLUMNS[f]]) : (r[PRODUCT_COLUMNS[f]] ?? null);
  return row as unknown as ProductRow;
}

function toRecord(p: Partial<ProductFields>): Record<string, unknown> {
  const rec: Record<string, unknown> = {};
  for (const f of FIELDS) if (p[f] !== undefined) rec[PRODUCT_COLUMNS[f]] = p[f];
  return rec;
}

export interface ProductMatch {
  product: ProductRow;
  level: number;
}

export interface ListOptions {
  search?: string;
  limit: number;
  offset: number;
}

/** `%`, `_` and `\` typed by a user are literal characters, not patterns. */
export const likePattern = (s: string) => '%' + s.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c) + '%';

const BULK_COLUMNS: JsonColumn[] = [
  ...FIELDS.map((f) => ({ name: PRODUCT_COLUMNS[f], type: FLAGS.has(f) ? ('boolean' as const) : ('text' as const) })),
  { name: 'created_at', type: 'bigint' },
  { name: 'updated_at', type: 'bigint' },
];

export class ProductsRepository {
  async get(q: Queryable, id: number): Promise<ProductRow | undefined> {
    const r = (await q('products').where({ id }).first()) as ProductRecord | undefined;
    return r ? toProductRow(r) : undefined;
  }

  async getMany(q: Queryable, ids: readonly number[]): Promise<ProductRow[]> {
    if (!ids.length) return [];
    return ((await q('products').whereRaw(...inJsonList(q, 'id', ids, 'integer'))) as ProductRecord[]).map(toProductRow);
  }

  async getManyByCode(q: Queryable, codes: readonly string[]): Promise<ProductRow[]> {
    if (!codes.length) return [];
    return ((await q('products').whereRaw(...inJsonList(q, 'code', codes, 'text'))) as ProductRecord[]).map(toProductRow);
  }

  async findByCode(q: Queryable, code: string): Promise<ProductRow | undefined> {
    const r = (await q('products').where({ code }).first()) as ProductRecord | undefined;
    return r ? toProductRow(r) : undefined;
  }

  /** The product and level an active commodity code names; 8/12/13-digit forms match their GTIN-14. */
  async findByGtin(q: Queryable, gtin: string): Promise<ProductMatch | undefined> {
    if (!/^(\d{8}|\d{12,14})$/.test(gtin)) return undefined;
    return this.findByIdentifier(q, 'gtin', gtinSpellings(gtin));
  }

  /** The product and level an active 7-digit trace-code prefix (药品标识码) names. */
  async findByPrefix(q: Queryable, prefix: string): Promise<ProductMatch | undefined> {
    return this.findByIdentifier(q, 'prefix', prefix);
  }

  private async findByIdentifier(q: Queryable, kind: 'gtin' | 'prefix', value: string | string[]): Promise<ProductMatch | undefined> {
    const r = (await q('product_codes as c')
      .join('products as p', 'p.id', 'c.product_id')
      .where({ 'c.kind': kind, 'c.status': 'active' })
      .whereIn('c.value', typeof value === 'string' ? [value] : value)
      .select('p.*', 'c.level as code_level')
      .first()) as (ProductRecord & { code_level: number }) | undefined;
    return r ? { product: toProductRow(r), level: Number(r.code_level) } : undefined;
  }

  async list(q: Queryable, o: ListOptions): Promise<{ rows: ProductRow[]; total: number }> {
    const base = q('products').modify((b) => {
      if (!o.search) return;
      const like = likePattern(o.search);
      b.where((w) => {
        for (const c of ['code', 'name', 'generic_name', 'nhsa_code', 'approval_no', 'manufacturer']) w.orWhereRaw(`lower(${c}) like ? escape '\\'`, [like]);
        w.orWhereExists((s) => s.select(q.raw('1')).from('product_codes as c').whereRaw('c.product_id = products.id').where('c.status', 'active').whereRaw(`c.value like ? escape '\\'`, [like]));
      });
    });
    const [count] = (await base.clone().count({ n: '*' })) as Array<{ n: number | string }>;
    const rows = (await base.clone().select('*').orderBy('code').limit(o.limit).offset(o.offset)) as ProductRecord[];
    return { rows: rows.map(toProductRow), total: Number(count?.n ?? 0) };
  }

  async insert(trx: Knex.Transaction, p: ProductFields, now: number): Promise<ProductRow> {
    const [r] = (await trx('products').insert({ ...toRecord(p), created_at: now, updated_at: now }).returning('*')) as ProductRecord[];
    if (!r) throw new Error('insert returned no row');
    return toProductRow(r);
  }

  async update(trx: Knex.Transaction, id: number, p: Partial<ProductFields>, now: number): Promise<ProductRow | undefined> {
    const [r] = (await trx('products').where({ id }).update({ ...toRecord(p), updated_at: now }).returning('*')) as ProductRecord[];
    return r ? toProductRow(r) : undefined;
  }

  /**
   * Insert-or-update on the product number, set-based. `columns` are the fields an existing
   * product takes from the input: an import writes only the columns its file has.
   * Returns product number → id for every row.
   */
  async upsertMany(trx: Knex.Transaction, rows: readonly ProductFields[], columns: readonly ProductField[], now: number): Promise<Map<string, number>> {
    const merge = [...columns.filter((c) => c !== 'code').map((c) => PRODUCT_COLUMNS[c]), 'updated_at'];
    const values = rows.map((p) => [...FIELDS.map((f) => p[f]), now, now]);
    const done = await insertJsonRows(trx, 'products', BULK_COLUMNS, values, { onConflict: ['code'], merge, returning: ['id', 'code'] });
    return new Map(done.map((r) => [r.code as string, Number(r.id)]));
  }
}
