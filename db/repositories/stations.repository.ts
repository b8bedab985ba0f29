import type { Knex } from 'knex';
import type { StationKind, StationRow } from '../types.js';

interface StationRecord {
  id: number;
  name: string;
  kind: string;
  created_at: number | string;
}

const toRow = (r: StationRecord): StationRow => ({
  id: Number(r.id),
  name: r.name,
  kind: r.kind as StationKind,
  createdAt: Number(r.created_at),
});

export class StationsRepository {
  constructor(private readonly knex: Knex) {}

  async list(): Promise<StationRow[]> {
    const rows = await this.knex<StationRecord>('stations').select('*').orderBy('id');
    return rows.map(toRow);
  }

  async get(id: number, trx: Knex | Knex.Transaction = this.knex): Promise<StationRow | undefined> {
    const row = await trx<StationRecord>('stations').where({ id }).first();
    return row ? toRow(row) : undefined;
  }

  async findByName(name: string): Promise<StationRow | undefined> {
    const row = await this.knex<StationRecord>('stations').where({ name }).first();
    return row ? toRow(row) : undefined;
  }

  async create(input: { name: string; kind: StationKind }, now = Date.now()): Promise<StationRow> {
    const [row] = await this.knex<StationRecord>('stations')
      .insert({ name: input.name, kind: input.kind, created_at: now })
      .returning('*');
    if (!row) throw new Error('insert returned no row');
    return toRow(row);
  }
}
