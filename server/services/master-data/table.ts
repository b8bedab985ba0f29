import fs from 'node:fs';
import type { Localized } from '../../contract/views.js';
import { LocalizedAppError } from '../localized-error.js';
import { readCsv } from './csv.js';
import { readXlsx } from './xlsx-reader.js';

export const fileInvalid = (reason: Localized) =>
  new LocalizedAppError('IMPORT_FILE_INVALID', 400, { 'zh-CN': `无法读取导入文件：${reason['zh-CN']}`, en: `The import file cannot be read: ${reason.en}` });

const NOT_XLSX = { 'zh-CN': '不是 XLSX 文件', en: 'not an XLSX file' };
const OLD_XLS = { 'zh-CN': '不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV', en: 'old Excel (.xls) files are not supported — save as .xlsx or CSV' };
const BROKEN_XLSX = { 'zh-CN': 'XLSX 文件已损坏或不完整', en: 'the XLSX file is damaged or incomplete' };

type Rows = AsyncIterable<{ record: number; cells: string[] }>;

/**
 * Rows of an upload, by what its bytes are rather than what the browser called it: an XLSX is a
 * zip, an old .xls a compound document (refused with a hint), anything else is read as CSV.
 */
export async function readTable(file: string, declared: 'csv' | 'xlsx' | undefined): Promise<Rows> {
  const head = await firstBytes(file, 8);
  if (head.length === 0) throw fileInvalid({ 'zh-CN': '文件是空的', en: 'the file is empty' });
  if (head.length >= 4 && head.readUInt32BE(0) === 0xd0cf11e0) throw fileInvalid(OLD_XLS);
  const zip = head.length >= 4 && head.readUInt32BE(0) === 0x504b0304;
  if (declared === 'xlsx' && !zip) throw fileInvalid(NOT_XLSX);
  return zip ? guard(readXlsx(file)) : readCsv(file);
}

/** exceljs throws assorted zip and XML errors on a damaged file; the user needs one clear answer. */
async function* guard(rows: Rows): Rows {
  try {
    yield* rows;
  } catch (err) {
    if (err instanceof LocalizedAppError) throw err;
    throw fileInvalid(BROKEN_XLSX);
  }
}

async function firstBytes(file: string, n: number): Promise<Buffer> {
  const fd = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fd.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fd.close();
  }
}
