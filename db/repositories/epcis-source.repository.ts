import { rawRows, type Queryable } from './tx.js';

/** One frozen code of an export, in export order. */
export interface ExportCodeRow {
  seq: number;
  code: string;
}

export interface EpcisUnitRow {
  id: number;
  name: string;
  uscc: string;
}

/** The newest journal rows when the export started: later scans stay out of this document. */
export interface JournalHorizon {
  movementId: number;
  packEventId: number;
}

/** A movement with its document and counterparty (one row per movement, not per code). */
export interface MovementRow {
  id: number;
  kind: string;
  at: number;
  stationId: number | null;
  reason: string | null;
  documentId: number | null;
  direction: 'in' | 'out' | null;
  documentNumber: string | null;
  documentType: string | null;
  deliveryNote: string | null;
  counterpartyName: string | null;
  counterpartyUscc: string | null;
}

/** One code of one movement. `voids`: the movement an undo or a cancellation declares void. */
export interface MovementCodeRow {
  movementId: number;
  seq: number;
  code: string;
  fromState: string;
  toState: string;
  voids: number | null;
}

export interface MovementSources {
  /** By movement id, then export order. */
  codes: MovementCodeRow[];
  /** Every movement `codes` names, voided ones included. */
  movements: Map<number, MovementRow>;
}

/** One child code of one pack event, with the event it compensates (undo of a pack scan). */
export interface PackSourceRow {
  id: number;
  kind: 'pack' | 'unpack';
  code: string;
  parentCode: string;
  scanId: number | null;
  stationId: number | null;
  at: number;
  reason: string | null;
  seq: number;
  compensated: { id: number; kind: 'pack' | 'unpack'; scanId: number | null; at: number; stationId: number | null } | null;
}

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * What the EPCIS export reads (issue 8): the frozen codes of an export a page at a time (by `seq`,
 * keyset), and for one page the movements and pack events of those codes — set-based statements
 * per page, joined through `export_codes` by the page's seq range so no code list is bound.
 */
export class EpcisSourceRepository {
  async unit(q: Queryable, unitId: number): Promise<EpcisUnitRow | undefined> {
    const r = (await q('units').where({ id: unitId }).first('id', 'name', 'uscc')) as { id: number; name: string; uscc: string } | undefined;
    return r ? { id: num(r.id), name: r.name, uscc: r.uscc } : undefined;
  }

  async horizon(q: Queryable): Promise<JournalHorizon> {
    const [m] = (await q('movements').max({ n: 'id' })) as Array<{ n: number | string | null }>;
    const [p] = (await q('pack_events').max({ n: 'id' })) as Array<{ n: number | string | null }>;
    return { movementId: Number(m?.n ?? 0), packEventId: Number(p?.n ?? 0) };
  }

  async codesPage(q: Queryable, exportId: number, afterSeq: number | null, limit: number): Promise<ExportCodeRow[]> {
    const query = q('export_codes').where({ export_id: exportId });
    if (afterSeq !== null) query.andWhere('seq', '>', afterSeq);
    const rows = (await query.orderBy('seq').limit(limit).select('seq', 'code')) as Array<{ seq: number | string; code: string }>;
    return rows.map((r) => ({ seq: num(r.seq), code: r.code }));
  }

  /**
   * The journal rows of one page of export codes, in two statements: the (narrow) code rows, then
   * the movements they name with document and counterparty — a movement of a 1 000-code case is
   * read once, not once per code. A row's `voids`: an undo names the movement it compensates; a
   * document cancellation voids, per code, the latest receive/pick of that code on the same
   * document before it (the scan that put it there).
   * CROSS JOIN fixes SQLite's join order (export page → a code's few journal rows → their
   * movements); left to itself the planner may walk every movement of the unit for each code.
   * PostgreSQL plans CROSS JOIN + WHERE like an inner join.
   */
  async movementsOf(q: Queryable, exportId: number, unitId: number, page: readonly ExportCodeRow[], horizon: number): Promise<MovementSources> {
    if (page.length === 0) return { codes: [], movements: new Map() };
    const codeOf = new Map(page.map((r) => [r.seq, r.code]));
    const rows = rawRows<{ movement_id: number | string; seq: number | string; from_state: string; to_state: string; voids: number | string | null }>(
      await q.raw(
        `SELECT mc.movement_id, ec.seq, mc.from_state, mc.to_state,
                CASE
                  WHEN m.kind = 'undo' THEN m.compensates
                  WHEN m.kind = 'cancel' THEN (
                    SELECT MAX(m2.id) FROM movement_codes mc2 CROSS JOIN movements m2
                    WHERE mc2.code = mc.code AND m2.id = mc2.movement_id AND m2.document_id = m.document_id AND m2.kind IN ('receive', 'pick') AND m2.id < m.id)
                END AS voids
         FROM export_codes ec
         CROSS JOIN movement_codes mc
         CROSS JOIN movements m
         WHERE mc.code = ec.code AND m.id = mc.movement_id
           AND ec.export_id = ? AND ec.seq >= ? AND ec.seq <= ? AND m.unit_id = ? AND m.id <= ?
         ORDER BY mc.movement_id, ec.seq`,
        [exportId, page[0]!.seq, page[page.length - 1]!.seq, unitId, horizon],
      ),
    );
    const codes: MovementCodeRow[] = rows.map((r) => ({
      movementId: num(r.movement_id),
      seq: num(r.seq),
      code: codeOf.get(num(r.seq))!,
      fromState: r.from_state,
      toState: r.to_state,
      voids: numOrNull(r.voids),
    }));
    const ids = new Set<number>();
    for (const c of codes) {
      ids.add(c.movementId);
      if (c.voids !== null) ids.add(c.voids);
    }
    return { codes, movements: await this.movementRows(q, [...ids]) };
  }

  private async movementRows(q: Queryable, ids: number[]): Promise<Map<number, MovementRow>> {
    const out = new Map<number, MovementRow>();
    // Bound lists stay far below SQLite's 32 766 parameters whatever the page size.
    for (let i = 0; i < ids.length; i += 5000) {
      const rows = (await q('movements as m')
        .leftJoin('documents as d', 'd.id', 'm.document_id')
        .leftJoin('counterparties as cp', 'cp.id', 'd.counterparty_id')
        .whereIn('m.id', ids.slice(i, i + 5000))
        .select('m.id', 'm.kind', 'm.at', 'm.station_id', 'm.reason', 'm.document_id', 'd.direction', 'd.number', 'd.type', 'd.delivery_note', 'cp.name', 'cp.uscc')) as Array<Record<string, unknown>>;
      for (const r of rows) {
        out.set(num(r.id), {
          id: num(r.id),
          kind: r.kind as string,
          at: num(r.at),
          stationId: numOrNull(r.station_id),
          reason: (r.reason as string | null) ?? null,
          documentId: numOrNull(r.document_id),
          direction: (r.direction as 'in' | 'out' | null) ?? null,
          documentNumber: (r.number as string | null) ?? null,
          documentType: (r.type as string | null) ?? null,
          deliveryNote: (r.delivery_note as string | null) ?? null,
          counterpartyName: (r.name as string | null) ?? null,
          counterpartyUscc: (r.uscc as string | null) ?? null,
        });
      }
    }
    return out;
  }

  /** Pack events whose child is one of the page's export codes, oldest first. */
  async packEventsOf(q: Queryable, exportId: number, unitId: number, page: readonly ExportCodeRow[], horizon: number): Promise<PackSourceRow[]> {
    if (page.length === 0) return [];
    const rows = rawRows<Record<string, unknown>>(
      await q.raw(
        `SELECT pe.id, pe.kind, pe.code, pe.parent_code, pe.scan_id, pe.station_id, pe.at, pe.reason, ec.seq,
                o.id AS o_id, o.kind AS o_kind, o.scan_id AS o_scan_id, o.at AS o_at, o.station_id AS o_station_id
         FROM export_codes ec
         CROSS JOIN pack_events pe
         LEFT JOIN pack_events o ON o.id = pe.compensates
         WHERE pe.code = ec.code AND ec.export_id = ? AND ec.seq >= ? AND ec.seq <= ? AND pe.unit_id = ? AND pe.id <= ?
         ORDER BY pe.at, pe.id`,
        [exportId, page[0]!.seq, page[page.length - 1]!.seq, unitId, horizon],
      ),
    );
    return rows.map((r) => ({
      id: num(r.id),
      kind: r.kind as 'pack' | 'unpack',
      code: r.code as string,
      parentCode: r.parent_code as string,
      scanId: numOrNull(r.scan_id),
      stationId: numOrNull(r.station_id),
      at: num(r.at),
      reason: (r.reason as string | null) ?? null,
      seq: num(r.seq),
      compensated:
        r.o_id === null || r.o_id === undefined
          ? null
          : { id: num(r.o_id), kind: r.o_kind as 'pack' | 'unpack', scanId: numOrNull(r.o_scan_id), at: num(r.o_at), stationId: numOrNull(r.o_station_id) },
    }));
  }
}
