import type { Queryable } from './tx.js';

export interface StationContextRow {
  stationId: number;
  documentId: number | null;
  openParent: string | null;
  mode: 'pack' | 'unpack';
  learnCode: string | null;
}

/** What a station is working on now (a projection; every scan that changes it is in the journal). */
export class StationContextRepository {
  async get(q: Queryable, stationId: number): Promise<StationContextRow> {
    const r = (await q('station_context').where({ station_id: stationId }).first()) as Record<string, unknown> | undefined;
    return {
      stationId,
      documentId: r?.document_id == null ? null : Number(r.document_id),
      openParent: (r?.open_parent as string | null | undefined) ?? null,
      mode: ((r?.mode as string | undefined) ?? 'pack') as 'pack' | 'unpack',
      learnCode: (r?.learn_code as string | null | undefined) ?? null,
    };
  }

  async update(q: Queryable, stationId: number, patch: Partial<Omit<StationContextRow, 'stationId'>>, at: number): Promise<void> {
    const row: Record<string, unknown> = { updated_at: at };
    if (patch.documentId !== undefined) row.document_id = patch.documentId;
    if (patch.openParent !== undefined) row.open_parent = patch.openParent;
    if (patch.mode !== undefined) row.mode = patch.mode;
    if (patch.learnCode !== undefined) row.learn_code = patch.learnCode;
    await q('station_context')
      .insert({ station_id: stationId, ...row })
      .onConflict('station_id')
      .merge(Object.keys(row));
  }

  /** Stations whose screen shows this document (for live progress). */
  async stationsOn(q: Queryable, documentId: number): Promise<number[]> {
    return ((await q('station_context').where({ document_id: documentId }).select('station_id')) as Array<{ station_id: number }>).map((r) => Number(r.station_id));
  }
}
