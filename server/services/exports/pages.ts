import type { Knex } from 'knex';
import { ExportsRepository, type ExportCodeRow, type ExportEventRow } from '../../../db/repositories/exports.repository.js';

export interface ExportPage {
  codes: ExportCodeRow[];
  /** The page's events by code sequence number, oldest first. */
  events: Map<number, ExportEventRow[]>;
}

/**
 * The frozen codes of an export a page at a time, with their events: three statements per page,
 * so memory holds one page however large the export.
 */
export async function* exportPages(knex: Knex, exportId: number, unitId: number, pageSize: number, withEvents = true): AsyncGenerator<ExportPage> {
  const repo = new ExportsRepository();
  for (let after = 0; ; after += pageSize) {
    const [codes, rows] = await Promise.all([
      repo.codesPage(knex, exportId, unitId, after, pageSize),
      withEvents ? repo.eventsPage(knex, exportId, unitId, after, pageSize) : Promise.resolve([]),
    ]);
    if (codes.length === 0) return;
    const events = new Map<number, ExportEventRow[]>();
    for (const e of rows) {
      const list = events.get(e.seq);
      if (list) list.push(e);
      else events.set(e.seq, [e]);
    }
    yield { codes, events };
    if (codes.length < pageSize) return;
  }
}
