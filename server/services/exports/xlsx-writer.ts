import type { Knex } from 'knex';
import { CODE_COLUMNS, EVENT_COLUMNS, codeCells, eventCells } from './labels.js';
import { exportPages } from './pages.js';
import { XlsxStreamWriter, type Cells } from './xlsx-stream.js';

/**
 * Two sheets from one pass over the frozen codes: the codes (one row each, with their nodes in one
 * cell) and the nodes (one row per event), for the portal's "追溯码 + 节点" export.
 */
export async function writeXlsx(knex: Knex, exportId: number, unitId: number, file: string, onProgress: (done: number) => void, pageSize = 2000): Promise<void> {
  const wb = new XlsxStreamWriter(file, [
    { name: '追溯码 Codes', header: CODE_COLUMNS, widths: [8, 24, 8, 28, 26, 14, 12, 10, 24, 8, 80] },
    { name: '节点 Events', header: EVENT_COLUMNS, widths: [24, 20, 12, 10, 10, 16, 28, 22, 24, 12, 12, 20] },
  ]);
  try {
    let done = 0;
    for await (const page of exportPages(knex, exportId, unitId, pageSize)) {
      const codes: Cells[] = [];
      const nodes: Cells[] = [];
      for (const c of page.codes) {
        const events = page.events.get(c.seq) ?? [];
        codes.push(codeCells(c, events));
        for (const e of events) nodes.push(eventCells(e));
      }
      await wb.rows(0, codes);
      await wb.rows(1, nodes);
      done += page.codes.length;
      onProgress(done);
    }
    await wb.finish();
  } catch (err) {
    wb.abort();
    throw err;
  }
}
