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
  const read = async (after: number): Promise<ExportPage> => {
    const codes = await repo.codesPage(knex, exportId, unitId, after, pageSize);
    const rows = withEvents && codes.length ? await repo.eventsPage(knex, exportId, unitId, after, pageSize) : [];
    const events = new Map<number, ExportEventRow[]>();
    for (const e of rows) {
      const list = events.get(e.seq);
      if (list) list.push(e);
      else events.set(e.seq, [e]);
    }
    return { codes, events };
  };
  // The next page is read while the caller writes this one: the database steps in its own thread.
  let next = read(0);
  for (let after = 0; ; after += pageSize) {
    const page = await next;
    if (page.codes.length === 0) return;
    const more = page.codes.length === pageSize;
    if (more) {
      next = read(after + pageSize);
      next.catch(() => {}); // a caller that stops early must not leave an unhandled rejection behind
    }
    yield page;
    if (!more) return;
  }
}
