import fs from 'node:fs';
import { once } from 'node:events';
import type { Knex } from 'knex';
import { CODE_COLUMNS, codeCells } from './labels.js';
import { exportPages } from './pages.js';

const quote = (v: string | number): string => {
  const s = String(v);
  // A leading = + - @ would make Excel run the cell as a formula (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/**
 * One line per code with its nodes in the last column: opens in Excel (UTF-8 BOM, CRLF) and in any
 * script. Written a page at a time with backpressure, so 100 000 codes never sit in memory.
 */
export async function writeCsv(knex: Knex, exportId: number, unitId: number, file: string, onProgress: (done: number) => void, pageSize = 2000): Promise<void> {
  const out = fs.createWriteStream(file);
  const closed = once(out, 'close');
  try {
    out.write('\ufeff' + CODE_COLUMNS.map(quote).join(',') + '\r\n');
    let done = 0;
    for await (const page of exportPages(knex, exportId, unitId, pageSize)) {
      const text = page.codes.map((c) => codeCells(c, page.events.get(c.seq) ?? []).map(quote).join(',')).join('\r\n') + '\r\n';
      if (!out.write(text)) await once(out, 'drain');
      done += page.codes.length;
      onProgress(done);
    }
  } finally {
    out.end();
    await closed;
  }
}
