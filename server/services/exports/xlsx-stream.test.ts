import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { XlsxStreamWriter } from './xlsx-stream.js';

describe('streaming XLSX writer', () => {
  it('writes sheets exceljs reads back cell for cell: XML specials escaped, control characters dropped, numbers as numbers', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xlsx-stream-'));
    const file = path.join(dir, 'out.xlsx');
    const wb = new XlsxStreamWriter(file, [
      { name: '追溯码 Codes', header: ['序号', '追溯码', '说明'], widths: [8, 24, 20] },
      { name: '节点 Events', header: ['追溯码'], widths: [24] },
    ]);
    await wb.rows(0, [
      [1, '81000010000000000001', 'A&B <箱> "甲"'],
      [2, `0106901234567892\x1d21X1`, ''],
    ]);
    await wb.rows(1, [['81000010000000000001'], ['81000010000000000002']]);
    await wb.finish();
    expect(fs.readdirSync(dir)).toEqual(['out.xlsx']); // the spooled sheet is gone

    const read = new ExcelJS.Workbook();
    await read.xlsx.readFile(file);
    const [codes, events] = read.worksheets;
    expect(codes!.name).toBe('追溯码 Codes');
    expect(codes!.getRow(2).values).toEqual([undefined, 1, '81000010000000000001', 'A&B <箱> "甲"']);
    expect(codes!.getRow(3).getCell(2).value).toBe('010690123456789221X1');
    expect(codes!.getRow(3).getCell(3).value).toBeNull();
    expect(events!.rowCount).toBe(3);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
