import type { Knex } from 'knex';
import type { NewScanEvent, ScanDecision, ScanEventRow, ScanSource } from '../types.js';

interface ScanRecord {
  id: number | string;
  station_id: number;
  device_id: string;
  source: string;
  received_at: number | string;
  recorded_at: number | string;
  raw: Buffer;
  text: string;
  aim: string | null;
  decision: string;
  reason_code: string | null;
  reason: string | null;
  kind: string | null;
  code: string | null;
  detail: string | null;
  operator_id: number | null;
  unit_id: number | null;
  undo_reason?: string | null;
  undone_at?: number | string | null;
}

const toRow = (r: ScanRecord): ScanEventRow => ({
  id: Number(r.id),
  stationId: Number(r.station_id),
  deviceId: r.device_id,
  source: r.source as ScanSource,
  receivedAt: Number(r.received_at),
  recordedAt: Number(r.recorded_at),
  raw: r.raw,
  text: r.text,
  aim: r.aim,
  decision: r.decision as ScanDecision,
  reasonCode: r.reason_code,
  reason: r.reason,
  kind: r.kind,
  code: r.code,
  detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null,
  operatorId: r.operator_id === null ? null : Number(r.operator_id),
  unitId: r.unit_id === null ? null : Number(r.unit_id),
  undone: r.undone_at != null ? { at: Number(r.undone_at), reason: r.undo_reason ?? '' } : null,
});

export interface ScanQuery {
  stationId?: number;
  decision?: ScanDecision;
  /** Keyset paging: rows with id < before. */
  before?: number;
  limit: number;
}

/** Today's counters: an undone accepted scan counts as `undone`, not as `accepted`. */
export type DecisionCounts = Record<ScanDecision | 'undone', number>;

export class ScansRepository {
  constructor(private readonly knex: Knex) {}

  /** Appends one scan event; returns its id. Must run inside the caller's transaction. */
  async append(trx: Knex.Transaction, e: NewScanEvent): Promise<number> {
    const [row] = await trx('scan_events')
      .insert({
        station_id: e.stationId,
        device_id: e.deviceId,
        source: e.source,
        received_at: e.receivedAt,
        recorded_at: e.recordedAt,
        raw: e.raw,
        text: e.text,
        aim: e.aim,
        decision: e.decision,
        reason_code: e.reasonCode,
        reason: e.reason,
        kind: e.kind,
        code: e.code,
        detail: e.detail ? JSON.stringify(e.detail) : null,
        operator_id: e.operatorId,
        unit_id: e.unitId,
      })
      .returning('id');
    const id = typeof row === 'object' && row !== null ? (row as { id: number | string }).id : row;
    return Number(id);
  }

  /** The first accepted scan of this code at this station, if any (the duplicate projection). */
  async firstAccepted(trx: Knex | Knex.Transaction, stationId: number, code: string): Promise<number | undefined> {
    const row = await trx('station_codes').where({ station_id: stationId, code }).first('first_scan_id');
    return row ? Number((row as { first_scan_id: number | string }).first_scan_id) : undefined;
  }

  async markAccepted(trx: Knex.Transaction, stationId: number, code: string, scanId: number): Promise<void> {
    await trx('station_codes').insert({ station_id: stationId, code, first_scan_id: scanId });
  }

  /** Journal rows with their undo, if any (a left join on the compensating events). */
  private withUndo(db: Knex | Knex.Transaction = this.knex) {
    return db<ScanRecord>('scan_events as s')
      .leftJoin('scan_undos as u', 'u.scan_id', 's.id')
      .select('s.*', 'u.reason as undo_reason', 'u.created_at as undone_at');
  }

  async get(id: number, trx?: Knex.Transaction): Promise<ScanEventRow | undefined> {
    const row = (await this.withUndo(trx).where('s.id', id).first()) as ScanRecord | undefined;
    return row ? toRow(row) : undefined;
  }

  async list(q: ScanQuery): Promise<ScanEventRow[]> {
    const query = this.withUndo().orderBy('s.id', 'desc').limit(q.limit);
    if (q.stationId !== undefined) query.where('s.station_id', q.stationId);
    if (q.decision !== undefined) query.where('s.decision', q.decision);
    if (q.before !== undefined) query.where('s.id', '<', q.before);
    return ((await query) as ScanRecord[]).map(toRow);
  }

  /** Appends the compensating event and takes the code out of the duplicate projection. */
  async appendUndo(
    trx: Knex.Transaction,
    u: { scanId: number; stationId: number; reason: string; source: string; at: number; operatorId: number | null; unitId: number | null },
  ): Promise<void> {
    await trx('scan_undos').insert({
      scan_id: u.scanId,
      station_id: u.stationId,
      reason: u.reason,
      source: u.source,
      created_at: u.at,
      operator_id: u.operatorId,
      unit_id: u.unitId,
    });
    await trx('station_codes').where({ station_id: u.stationId, first_scan_id: u.scanId }).del();
  }

  async countsSince(stationId: number, since: number): Promise<DecisionCounts> {
    const rows = (await this.knex('scan_events as s')
      .leftJoin('scan_undos as u', 'u.scan_id', 's.id')
      .where('s.station_id', stationId)
      .andWhere('s.received_at', '>=', since)
      .groupByRaw("CASE WHEN u.id IS NULL THEN s.decision ELSE 'undone' END")
      .select(this.knex.raw("CASE WHEN u.id IS NULL THEN s.decision ELSE 'undone' END AS d"))
      .count({ n: '*' })) as Array<{ d: string; n: number | string }>;
    const counts: DecisionCounts = { accepted: 0, duplicate: 0, rejected: 0, undone: 0 };
    for (const r of rows) if (r.d in counts) counts[r.d as keyof DecisionCounts] = Number(r.n);
    return counts;
  }

  async total(): Promise<number> {
    const row = (await this.knex('scan_events').count({ n: '*' }).first()) as { n: number | string } | undefined;
    return Number(row?.n ?? 0);
  }
}
