import ExcelJS from 'exceljs';
import { cellText } from './cells.js';

/**
 * Rows of the first worksheet, read with exceljs's streaming reader: a 50 MB workbook never
 * becomes an object model in memory. Styles and hyperlinks are skipped; shared strings are cached
 * because cells refer to them by index.
 */
export async function* readXlsx(file: string): AsyncGenerator<{ record: number; cells: string[] }> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore' });
  let first = true;
  for await (const sheet of reader) {
    for await (const row of sheet) {
      // Later sheets (a template's notes) are drained, not read: the zip is one stream.
      if (!first) continue;
      const values = Array.isArray(row.values) ? row.values : [];
      const cells: string[] = [];
      for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
      yield { record: row.number, cells };
    }
    first = false;
  }
}
