import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { expectedBody, type ExpectedBody } from '../../contract/dock.js';
import { AppError } from '../app-error.js';
import { readTable } from '../master-data/table.js';
import { receiveToFile } from '../master-data/upload.js';

const MAX_BYTES = 20 * 1024 * 1024;
// Header cells a supplier's delivery list may start with; such a row is skipped, never read as data.
const HEADER = /^(追溯码|药品追溯码|code|商品编号|productcode|product code)$/i;

/**
 * Expected content of a document from a file (CSV or XLSX), one of two shapes per row:
 * a trace code alone (a case stands for its units), or product number, quantity in units, and an
 * optional batch. Bad rows are named by their row number and nothing is written.
 */
export async function readExpectedFile(src: Readable, tmpDir: string, format: 'csv' | 'xlsx' | undefined): Promise<ExpectedBody> {
  const file = await receiveToFile(src, tmpDir, MAX_BYTES);
  try {
    const codes: string[] = [];
    const lines: NonNullable<ExpectedBody['lines']> = [];
    const bad: string[] = [];
    for await (const { record, cells } of await readTable(file, format)) {
      const [a = '', b = '', c = ''] = cells.map((x) => x.trim());
      if (a === '' && b === '') continue;
      if (HEADER.test(a)) continue;
      if (b === '') codes.push(a.replace(/[\s-]/g, ''));
      else if (/^\d+$/.test(b) && Number(b) > 0) lines.push({ productCode: a, quantity: Number(b), ...(c ? { batch: c } : {}) });
      else bad.push(`row ${record}: quantity "${b}"`);
    }
    if (bad.length) throw new AppError('EXPECTED_INVALID', 400, { message: bad.slice(0, 10).join('; ') });
    const parsed = expectedBody.safeParse({ ...(codes.length ? { codes } : {}), ...(lines.length ? { lines } : {}) });
    if (!parsed.success) throw new AppError('EXPECTED_INVALID', 400, { message: parsed.error.issues.map((i) => i.message).join('; ') });
    return parsed.data;
  } finally {
    await fs.promises.rm(file, { force: true });
  }
}

export const expectedTmpDir = (dataDir: string): string => path.join(dataDir, 'tmp', 'expected');
