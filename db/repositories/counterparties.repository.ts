import type { Knex } from 'knex';
import { insertJsonRows, type JsonColumn } from './json-bulk.js';
import { likePattern, type ListOptions } from './products.repository.js';
import type { Queryable } from './tx.js';

/** 往来单位: suppliers and customers of one unit; the USCC is unique within that unit. */
export type CounterpartyTypeRow = 'manufacturer' | 'wholesaler' | 'hospital' | 'pharmacy' | 'other';

export interface CounterpartyFields {
  name: string;
  uscc: string;
  type: CounterpartyTypeRow;
  address: string | null;
  licenceNo: string | null;
  /** Ids the platforms give this party (e.g. an NHSA institution code), by platform. */
  platformIds: Record<string, string>;
}

export interface CounterpartyRow extends CounterpartyFields {
  id: number;
  unitId: number;
  createdAt: number;
  updatedAt: number;
}

export type CounterpartyField = keyof CounterpartyFields;

const COLUMNS: Record<CounterpartyField, string> = { name: 'name', uscc: 'uscc', type: 'type', address: 'address', licenceNo: 'licence_no', platformIds: 'platform_ids' };

interface CounterpartyRecord {
  id: number | string;
  unit_id: number | string;
  name: string;
  uscc: string;
  type: string;
  address: string | null;
  licence_no: string | null;
  platform_ids: string;
  created_at: number | string;
  updated_at: number | string;
}

function parseIds(text: string): Record<string, string> {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : {};
  } catch {
    return {};
  }
}

const toRow = (r: CounterpartyRecord): CounterpartyRow => ({
  id: Number(r.id),
  unitId: Number(r.unit_id),
  name: r.name,
  uscc: r.uscc,
  type: r.type as CounterpartyTypeRow,
  address: r.address,
  licenceNo: r.licence_no,
  platformIds: parseIds(r.platform_ids),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

function toRecord(p: Partial<CounterpartyFields>): Record<string, unknown> {
  const rec: Record<string, unknown> = {};
  for (const f of Object.keys(COLUMNS) as CounterpartyField[]) {
    if (p[f] !== undefined) rec[COLUMNS[f]] = f === 'platformIds' ? JSON.stringify(p[f]) : p[f];
  }
  return rec;
}

const BULK_COLUMNS: JsonColumn[] = [
  { name: 'unit_id', type: 'integer' },
  ...Object.values(COLUMNS).map((name) => ({ name, type: 'text' as const })),
  { name: 'created_at', type: 'bigint' },
  { name: 'updated_at', type: 'bigint' },
];

export class CounterpartiesRepository {
  async get(q: Queryable, unitId: number, id: number): Promise<CounterpartyRow | undefined> {
    const r = (await q('counterparties').where({ id, unit_id: unitId }).first()) as CounterpartyRecord | undefined;
    return r ? toRow(r) : undefined;
  }

  async findByUscc(q: Queryable, unitId: number, uscc: string): Promise<CounterpartyRow | undefined> {
    const r = (await q('counterparties').where({ unit_id: unitId, uscc }).first()) as CounterpartyRecord | undefined;
    return r ? toRow(r) : undefined;
  }

  async list(q: Queryable, unitId: number, o: ListOptions): Promise<{ rows: CounterpartyRow[]; total: number }> {
    const base = q('counterparties')
      .where({ unit_id: unitId })
      .modify((b) => {
        if (!o.search) return;
        const like = likePattern(o.search);
        b.where((w) => {
          for (const c of ['name', 'uscc', 'address', 'licence_no']) w.orWhereRaw(`lower(${c}) like ? escape '\\'`, [like]);
        });
      });
    const [count] = (await base.clone().count({ n: '*' })) as Array<{ n: number | string }>;
    const rows = (await base.clone().select('*').orderBy('name').orderBy('id').limit(o.limit).offset(o.offset)) as CounterpartyRecord[];
    return { rows: rows.map(toRow), total: Number(count?.n ?? 0) };
  }

  async insert(trx: Knex.Transaction, unitId: number, c: CounterpartyFields, now: number): Promise<CounterpartyRow> {
    const [r] = (await trx('counterparties').insert({ ...toRecord(c), unit_id: unitId, created_at: now, updated_at: now }).returning('*')) as CounterpartyRecord[];
    if (!r) throw new Error('insert returned no row');
    return toRow(r);
  }

  async update(trx: Knex.Transaction, unitId: number, id: number, p: Partial<CounterpartyFields>, now: number): Promise<CounterpartyRow | undefined> {
    const [r] = (await trx('counterparties').where({ id, unit_id: unitId }).update({ ...toRecord(p), updated_at: now }).returning('*')) as CounterpartyRecord[];
    return r ? toRow(r) : undefined;
  }

  /** Insert-or-update on (unit, USCC), set-based; `columns` are the fields an existing row takes. */
  async upsertMany(trx: Knex.Transaction, unitId: number, rows: readonly CounterpartyFields[], columns: readonly CounterpartyField[], now: number): Promise<void> {
    const merge = [...columns.filter((c) => c !== 'uscc').map((c) => COLUMNS[c]), 'updated_at'];
    const fields = Object.keys(COLUMNS) as CounterpartyField[];
    const values = rows.map((c) => [unitId, ...fields.map((f) => (f === 'platformIds' ? JSON.stringify(c.platformIds) : c[f])), now, now]);
    await insertJsonRows(trx, 'counterparties', BULK_COLUMNS, values, { onConflict: ['unit_id', 'uscc'], merge });
  }
}
