import type { Knex } from 'knex';
import { rawRows, type Queryable } from './tx.js';

/** One stored pack of the hierarchy projection. */
export interface PackRow {
  code: string;
  level: number;
  productId: number | null;
  productCode: string | null;
  batch: string | null;
  madeDate: string | null;
  expiry: string | null;
  parentCode: string | null;
}

interface PackRecord {
  code: string;
  level: number;
  product_id: number | null;
  product_code: string | null;
  batch: string | null;
  made_date: string | null;
  expiry: string | null;
  parent_code: string | null;
}

const toRow = (r: PackRecord): PackRow => ({
  code: r.code,
  level: Number(r.level),
  productId: r.product_id === null ? null : Number(r.product_id),
  productCode: r.product_code,
  batch: r.batch,
  madeDate: r.made_date,
  expiry: r.expiry,
  parentCode: r.parent_code,
});

export interface PackEventInsert {
  kind: 'pack' | 'unpack';
  code: string;
  parentCode: string;
  scanId: number | null;
  stationId: number | null;
  operatorId: number | null;
  unitId: number | null;
  compensates?: number | null;
  reason?: string | null;
  at: number;
}

/**
 * The subtree under `root` (root included), as a recursive CTE other statements can build on, so a
 * case of 10 000 units is expanded inside the database in one statement.
 */
export function subtreeCte(root: string): { sql: string; bindings: string[] } {
  return {
    sql: `WITH RECURSIVE sub(code, level) AS (
            SELECT code, level FROM packs WHERE code = ?
            UNION ALL SELECT p.code, p.level FROM packs p JOIN sub ON p.parent_code = sub.code)`,
    bindings: [root],
  };
}

export class PacksRepository {
  async get(q: Queryable, code: string): Promise<PackRow | undefined> {
    const r = (await q('packs').where({ code }).first()) as PackRecord | undefined;
    return r ? toRow(r) : undefined;
  }

  async getMany(q: Queryable, codes: string[]): Promise<PackRow[]> {
    if (codes.length === 0) return [];
    return ((await q('packs').whereIn('code', codes)) as PackRecord[]).map(toRow);
  }

  async children(q: Queryable, parent: string): Promise<PackRow[]> {
    return ((await q('packs').where({ parent_code: parent }).orderBy('code')) as PackRecord[]).map(toRow);
  }

  /** The parent chain above `code` (nearest first), bounded: levels stop at 3, a longer chain is corrupt. */
  async ancestors(q: Queryable, code: string): Promise<PackRow[]> {
    const out: PackRow[] = [];
    let next = (await this.get(q, code))?.parentCode ?? null;
    while (next !== null && out.length < 16 && !out.some((p) => p.code === next)) {
      const p = await this.get(q, next);
      if (!p) break;
      out.push(p);
      next = p.parentCode;
    }
    return out;
  }

  /** Counts of the subtree: every code below `root` and the units (level 1) among them. */
  async subtreeCounts(q: Queryable, root: string): Promise<{ codes: number; units: number }> {
    const cte = subtreeCte(root);
    const [r] = rawRows<{ codes: number | string; units: number | string | null }>(
      await q.raw(`${cte.sql} SELECT COUNT(*) AS codes, SUM(CASE WHEN level = 1 THEN 1 ELSE 0 END) AS units FROM sub WHERE code <> ?`, [...cte.bindings, root]),
    );
    return { codes: Number(r?.codes ?? 0), units: Number(r?.units ?? 0) };
  }

  /** A pack first seen at the dock (aggregation of codes no relation file announced). */
  async insertIfMissing(q: Queryable, p: { code: string; level: number; productId: number | null; batch: string | null; expiry: string | null; at: number }): Promise<void> {
    await q('packs')
      .insert({ code: p.code, level: p.level, product_id: p.productId, batch: p.batch, expiry: p.expiry, parent_code: null, source: 'dock', updated_at: p.at })
      .onConflict('code')
      .ignore();
  }

  async setParent(q: Queryable, codes: string[], parent: string | null, at: number): Promise<void> {
    if (codes.length) await q('packs').whereIn('code', codes).update({ parent_code: parent, updated_at: at });
  }

  async appendEvents(q: Queryable, events: PackEventInsert[]): Promise<void> {
    if (events.length === 0) return;
    await q('pack_events').insert(
      events.map((e) => ({
        kind: e.kind,
        code: e.code,
        parent_code: e.parentCode,
        scan_id: e.scanId,
        station_id: e.stationId,
        operator_id: e.operatorId,
        unit_id: e.unitId,
        compensates: e.compensates ?? null,
        reason: e.reason ?? null,
        at: e.at,
      })),
    );
  }

  /** The pack events a scan caused (for undo), oldest first. */
  async eventsOfScan(q: Queryable, scanId: number): Promise<Array<PackEventInsert & { id: number }>> {
    const rows = (await q('pack_events').where({ scan_id: scanId }).whereNull('compensates').orderBy('id')) as Array<Record<string, unknown>>;
    return rows.map((r) => ({
      id: Number(r.id),
      kind: r.kind as 'pack' | 'unpack',
      code: r.code as string,
      parentCode: r.parent_code as string,
      scanId: Number(r.scan_id),
      stationId: r.station_id === null ? null : Number(r.station_id),
      operatorId: r.operator_id === null ? null : Number(r.operator_id),
      unitId: r.unit_id === null ? null : Number(r.unit_id),
      at: Number(r.at),
    }));
  }

}
