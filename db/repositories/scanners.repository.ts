import type { Knex } from 'knex';
import type { ScannerRow, ScannerTransport } from '../types.js';

interface ScannerRecord {
  id: number;
  device_id: string;
  transport: string;
  path: string | null;
  label: string | null;
  station_id: number;
  options: string;
  enabled: number | boolean;
  created_at: number | string;
}

const toRow = (r: ScannerRecord): ScannerRow => ({
  id: Number(r.id),
  deviceId: r.device_id,
  transport: r.transport as ScannerTransport,
  path: r.path,
  label: r.label,
  stationId: Number(r.station_id),
  options: JSON.parse(r.options) as Record<string, unknown>,
  enabled: Boolean(r.enabled),
  createdAt: Number(r.created_at),
});

export interface ScannerBindingInput {
  deviceId: string;
  transport: ScannerTransport;
  path: string | null;
  label: string | null;
  stationId: number;
  options: Record<string, unknown>;
}

export class ScannersRepository {
  constructor(private readonly knex: Knex) {}

  async list(): Promise<ScannerRow[]> {
    const rows = await this.knex<ScannerRecord>('scanners').select('*').orderBy('id');
    return rows.map(toRow);
  }

  async findByDevice(deviceId: string): Promise<ScannerRow | undefined> {
    const row = await this.knex<ScannerRecord>('scanners').where({ device_id: deviceId }).first();
    return row ? toRow(row) : undefined;
  }

  /** Binds a device to a station; re-binding the same device moves it (one station per device). */
  async upsert(input: ScannerBindingInput, now = Date.now()): Promise<ScannerRow> {
    const record = {
      device_id: input.deviceId,
      transport: input.transport,
      path: input.path,
      label: input.label,
      station_id: input.stationId,
      options: JSON.stringify(input.options),
      enabled: true,
      created_at: now,
    };
    const [row] = await this.knex<ScannerRecord>('scanners')
      .insert(record)
      .onConflict('device_id')
      .merge(['transport', 'path', 'label', 'station_id', 'options', 'enabled'])
      .returning('*');
    if (!row) throw new Error('upsert returned no row');
    return toRow(row);
  }

  async setEnabled(id: number, enabled: boolean): Promise<void> {
    await this.knex('scanners').where({ id }).update({ enabled });
  }
}
