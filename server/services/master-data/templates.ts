import ExcelJS from 'exceljs';
import type { ImportKind } from '../../contract/master-data.js';
import { COUNTERPARTY_COLUMNS, PRODUCT_COLUMNS, templateHeader, type ColumnSpec } from './columns.js';

export interface TemplateFile {
  body: Buffer;
  contentType: string;
  fileName: string;
}

const COLUMNS: Record<ImportKind, readonly ColumnSpec[]> = { products: PRODUCT_COLUMNS, counterparties: COUNTERPARTY_COLUMNS };

/** One example row per kind; the GTINs and USCC are real-shaped and pass their checks (DOMAIN.md §2). */
const EXAMPLES: Record<ImportKind, Record<string, string>> = {
  products: {
    code: 'YP0001',
    name: '阿莫西林胶囊',
    genericName: '阿莫西林胶囊',
    spec: '0.25g',
    packageSpec: '0.25g*24粒/盒',
    manufacturer: '示例制药有限公司',
    approvalNo: '国药准字H20003456',
    dosageForm: '胶囊剂',
    nhsaCode: 'XJ01CAA040A001010100001',
    ratio: '1:10:200',
    prescription: '是',
    ephedrine: '否',
    narcoticCompound: '否',
    specialControl: '否',
    noCodeExempt: '否',
    blocked: '否',
    gtin1: '6901234567892',
    gtin3: '16901234567899',
    prefix1: '8385793',
  },
  counterparties: {
    name: '示例医药有限公司',
    uscc: '91110000600037341L',
    type: '批发企业',
    address: '北京市东城区示例路 1 号',
    licenceNo: '京AA1234567',
    platformIds: 'nhsa=H11010100001',
  },
};

const NOTES: Record<ImportKind, string[]> = {
  products: [
    '第 2 行为示例，导入前请改写或删除。Row 2 is an example: replace or delete it before importing.',
    '第 1 行为表头（中文或英文列名均可，列顺序不限）；带 * 的列必填。Row 1 is the header (Chinese or English names, any order); * = required.',
    '商品编号为导入主键：已有的药品按文件中的列更新，文件中没有的列保持不变。The product number is the key: existing products take the columns the file has.',
    '商品码：8/12/13/14 位且校验位正确；追溯码前缀：以 8 开头的 7 位数字；空单元格表示该级不变。GTIN with a correct check digit; prefix = 7 digits starting with 8; empty = unchanged.',
    '包装比例：大:中:小（如 1:10:200）或 大:小（如 1:20）。Ratio big:middle:small or big:small.',
    '是/否 列可填 是、否、Y、N、1、0。Yes/no columns accept 是/否, Y/N, 1/0.',
  ],
  counterparties: [
    '第 2 行为示例，导入前请改写或删除。Row 2 is an example: replace or delete it before importing.',
    '第 1 行为表头；带 * 的列必填；统一社会信用代码为导入主键。Row 1 is the header; * = required; the USCC is the key.',
    '单位类型：生产企业、批发企业、医疗机构、零售药店、其他（或 manufacturer / wholesaler / hospital / pharmacy / other）。',
    '平台编号：平台=编号，多个用分号分隔，如 nhsa=H11010100001; gansu=G001。Platform ids as platform=id pairs.',
  ],
};

/** Import templates (导入模板): the header with Chinese names first, one example row, and notes. */
export class Templates {
  private readonly cache = new Map<string, TemplateFile>();

  async get(kind: ImportKind, format: 'xlsx' | 'csv'): Promise<TemplateFile> {
    const key = `${kind}.${format}`;
    let t = this.cache.get(key);
    if (!t) {
      t = format === 'csv' ? csv(kind) : await xlsx(kind);
      this.cache.set(key, t);
    }
    return t;
  }
}

const headerOf = (kind: ImportKind) => COLUMNS[kind].map(templateHeader);
const exampleOf = (kind: ImportKind) => COLUMNS[kind].map((c) => EXAMPLES[kind][c.field] ?? '');

async function xlsx(kind: ImportKind): Promise<TemplateFile> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(kind === 'products' ? '药品' : '往来单位');
  ws.columns = COLUMNS[kind].map((c) => ({ width: Math.max(14, templateHeader(c).length * 2) }));
  ws.addRow(headerOf(kind)).font = { bold: true };
  ws.addRow(exampleOf(kind));
  // Codes are text: typed into a General column Excel would turn a GTIN into 6.90123E+12.
  ws.columns.forEach((col) => (col.numFmt = '@'));
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  const notes = wb.addWorksheet('说明 Notes');
  notes.getColumn(1).width = 120;
  for (const n of NOTES[kind]) notes.addRow([n]);
  return { body: Buffer.from(await wb.xlsx.writeBuffer()), contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName: `${kind}-template.xlsx` };
}

/** UTF-8 with a BOM and CRLF: what Excel on a Chinese Windows opens without garbling. */
function csv(kind: ImportKind): TemplateFile {
  const line = (cells: string[]) => cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
  const text = '\ufeff' + [line(headerOf(kind)), line(exampleOf(kind))].join('\r\n') + '\r\n';
  return { body: Buffer.from(text, 'utf8'), contentType: 'text/csv; charset=utf-8', fileName: `${kind}-template.csv` };
}
