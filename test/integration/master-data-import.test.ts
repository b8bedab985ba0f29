import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CounterpartyView, ImportRejectedBody, ImportReport, Page, ProductView } from '../../server/contract/master-data.js';
import { badCheckDigit, DIALECTS, ean13, gb18030, jsonOf, masterCounts, readXlsxRows, startMasterDataWorkstation, upload, uscc, XLSX_TYPE, xlsxFile, type ApiWorkstation } from '../helpers/master-data.js';

const HEADER = ['商品编号', '商品名称', '通用名', '包装比例', '处方药', '小包装商品码', '小包装追溯码前缀'];

/** Rows 2–7: rows 3, 5 and 7 are bad (GTIN check digit, ratio 1:4:10, product number repeated from row 2). */
const PRODUCT_ROWS: Array<Array<string | number>> = [
  HEADER,
  ['IMP-1', '布洛芬缓释胶囊', '布洛芬', '1:10:200', '否', Number(ean13('690000000001')), '8100001'],
  ['IMP-2', '对乙酰氨基酚片', '对乙酰氨基酚', '1:20', '否', badCheckDigit(ean13('690000000002')), ''],
  ['IMP-3', '复方甘草片', '', '', '是', ean13('690000000003'), '8100003'],
  ['IMP-4', '头孢克肟胶囊', '头孢克肟', '1:4:10', '是', '', ''],
  ['IMP-5', '维生素C片', '', '1:50', 'N', '', ''],
  ['IMP-1', '重复编号', '', '', '', '', ''],
];

describe.each(DIALECTS)('master-data imports on %s: CSV/XLSX, all-or-nothing or valid rows only, with an error report', (dialect) => {
  let ws: ApiWorkstation;
  const products = async () => (await jsonOf<Page<ProductView>>(await ws.api('/api/products?limit=500'))).items;

  beforeAll(async () => {
    ws = await startMasterDataWorkstation(dialect);
  }, 60_000);
  afterAll(async () => {
    await ws.stop();
  });

  it('an XLSX with 3 bad rows writes nothing and its report names exactly those rows', async () => {
    const before = await masterCounts(ws.db.knex);
    const res = await upload(ws, '/api/imports/products', await xlsxFile(PRODUCT_ROWS), XLSX_TYPE);
    expect(res.status).toBe(422);
    const body = await jsonOf<ImportRejectedBody>(res);
    expect(body.error.code).toBe('IMPORT_HAS_ERRORS');
    const { report } = body;
    expect(report).toMatchObject({ kind: 'products', mode: 'all', total: 6, imported: 0, errorRows: 3 });
    expect(report.errors.map((e) => [e.row, e.column])).toEqual([
      [3, '小包装商品码'],
      [5, '包装比例'],
      [7, '商品编号'],
    ]);
    expect(report.errors[1]!.reason['zh-CN']).toContain('1:4:10');
    expect(report.errors[2]!.reason.en).toContain('row 2');
    expect(await masterCounts(ws.db.knex)).toEqual(before);

    const file = await ws.api(`/api/imports/${report.reportId}/report.xlsx`);
    expect(file.status).toBe(200);
    const rows = await readXlsxRows(await file.arrayBuffer());
    const reasonCol = rows.get(1)!.indexOf('原因/Reason');
    expect(reasonCol).toBe(HEADER.length);
    const withReason = [...rows].filter(([n, cells]) => n > 1 && (cells[reasonCol] ?? '') !== '').map(([n]) => n);
    expect(withReason).toEqual([3, 5, 7]);
    expect(rows.get(5)![reasonCol]).toMatch(/^包装比例：/);
    expect(rows.get(2)![0]).toBe('IMP-1'); // the uploaded rows, as they were
  });

  it('the same file with mode=valid-only imports the good rows and reports the bad ones', async () => {
    const res = await upload(ws, '/api/imports/products?mode=valid-only', await xlsxFile(PRODUCT_ROWS), XLSX_TYPE);
    expect(res.status).toBe(200);
    const report = await jsonOf<ImportReport>(res);
    expect(report).toMatchObject({ mode: 'valid-only', total: 6, imported: 3, errorRows: 3 });
    const byCode = new Map((await products()).map((p) => [p.code, p]));
    expect([...byCode.keys()].sort()).toEqual(['IMP-1', 'IMP-3', 'IMP-5']);
    expect(byCode.get('IMP-1')).toMatchObject({ name: '布洛芬缓释胶囊', ratio: '1:10:200', prescription: false });
    expect(byCode.get('IMP-3')!.codes.map((c) => c.value)).toEqual(['0' + ean13('690000000003'), '8100003']);
    const events = await ws.db.knex('product_code_events').where({ action: 'imported' }).count({ n: '*' });
    expect(Number(events[0]!.n)).toBe(4);

    // Importing again updates in place; a GTIN already held by another product is that row's error.
    const again = await upload(ws, '/api/imports/products', await xlsxFile([HEADER.slice(0, 2).concat('小包装商品码'), ['IMP-5', '维生素C片（新）', ean13('690000000003')]]), XLSX_TYPE);
    const rejected = await jsonOf<ImportRejectedBody>(again);
    expect(rejected.report.errors.map((e) => [e.row, e.column, e.reason.en])).toEqual([[2, '小包装商品码', expect.stringContaining('IMP-3')]]);
    const rename = await upload(ws, '/api/imports/products', await xlsxFile([['code', 'name'], ['IMP-5', '维生素C片（新）']]), XLSX_TYPE);
    expect((await jsonOf<ImportReport>(rename)).imported).toBe(1);
    const renamed = (await products()).find((p) => p.code === 'IMP-5')!;
    // Columns absent from the file stay as they were.
    expect(renamed).toMatchObject({ name: '维生素C片（新）', ratio: '1:50' });
  });

  it('a GB18030 CSV from Chinese Excel with Chinese headers imports', async () => {
    const text = ['商品编号,商品名称,生产企业,含麻黄碱,中包装商品码', 'GB-1,复方盐酸伪麻黄碱缓释胶囊,"兰州制药,有限公司",是,' + ean13('690000000011'), 'GB-2,板蓝根颗粒,甘肃中药厂,否,'].join('\r\n');
    const res = await upload(ws, '/api/imports/products', gb18030(text), 'text/csv');
    expect(res.status).toBe(200);
    expect(await jsonOf<ImportReport>(res)).toMatchObject({ total: 2, imported: 2, errors: [], reportId: null });
    const gb1 = (await products()).find((p) => p.code === 'GB-1')!;
    expect(gb1).toMatchObject({ name: '复方盐酸伪麻黄碱缓释胶囊', manufacturer: '兰州制药,有限公司', ephedrine: true });
    expect(gb1.codes).toEqual([expect.objectContaining({ kind: 'gtin', level: 2 })]);
  });

  it('imports counterparties of the unit from a UTF-8 CSV with English headers', async () => {
    const rows = [
      'name,uscc,type,address,platformIds',
      `上游批发,${uscc(11)},批发企业,兰州,nhsa=H1; gansu=G1`,
      `下游医院,${uscc(12)},hospital,,`,
      `坏代码,91440300MA5FXXXX0X,pharmacy,,`,
    ].join('\n');
    const res = await upload(ws, '/api/imports/counterparties?mode=valid-only', Buffer.from('\ufeff' + rows), 'text/csv');
    const report = await jsonOf<ImportReport>(res);
    expect(report).toMatchObject({ kind: 'counterparties', imported: 2, errorRows: 1 });
    expect(report.errors[0]).toMatchObject({ row: 4, column: 'uscc', value: '91440300MA5FXXXX0X' });
    const list = (await jsonOf<Page<CounterpartyView>>(await ws.api('/api/counterparties'))).items;
    expect(list.find((c) => c.uscc === uscc(11))).toMatchObject({ type: 'wholesaler', platformIds: { nhsa: 'H1', gansu: 'G1' } });
  });

  it('templates download with Chinese headers first and import as they are', async () => {
    for (const path of ['/api/templates/products.csv', '/api/templates/counterparties.xlsx']) expect((await ws.api(path)).status).toBe(200);
    const tpl = await ws.api('/api/templates/products.xlsx');
    expect(tpl.headers.get('content-disposition')).toContain('products-template.xlsx');
    const bytes = Buffer.from(await tpl.arrayBuffer());
    expect((await readXlsxRows(bytes)).get(1)![0]).toBe('*商品编号/code');
    const res = await upload(ws, '/api/imports/products', bytes, XLSX_TYPE);
    expect(await jsonOf<ImportReport>(res)).toMatchObject({ imported: 1, errors: [] });
  });

  it('unreadable files get IMPORT_FILE_INVALID, oversized ones IMPORT_TOO_LARGE, nothing written', async () => {
    const before = await masterCounts(ws.db.knex);
    const code = async (res: Response) => [res.status, (await jsonOf<{ error: { code: string } }>(res)).error.code];
    expect(await code(await upload(ws, '/api/imports/products', Buffer.alloc(0), 'text/csv'))).toEqual([400, 'IMPORT_FILE_INVALID']);
    expect(await code(await upload(ws, '/api/imports/products', Buffer.from('foo,bar\n1,2\n'), 'text/csv'))).toEqual([400, 'IMPORT_FILE_INVALID']);
    expect(await code(await upload(ws, '/api/imports/products?format=xlsx', Buffer.from('code,name\n1,2\n'), 'text/csv'))).toEqual([400, 'IMPORT_FILE_INVALID']);
    expect(await code(await upload(ws, '/api/imports/products', Buffer.from('PK\u0003\u0004garbage'), XLSX_TYPE))).toEqual([400, 'IMPORT_FILE_INVALID']);
    expect(await code(await upload(ws, '/api/imports/products?mode=sometimes', Buffer.from('code,name\n1,2\n'), 'text/csv'))).toEqual([400, 'VALIDATION_FAILED']);
    expect(await code(await upload(ws, '/api/imports/products', Buffer.alloc(50 * 1024 * 1024 + 1, 0x41), 'text/csv'))).toEqual([413, 'IMPORT_TOO_LARGE']);
    expect(await code(await ws.api('/api/imports/00000000-0000-0000-0000-000000000000/report.xlsx'))).toEqual([404, 'IMPORT_REPORT_NOT_FOUND']);
    expect(await masterCounts(ws.db.knex)).toEqual(before);
  });
});
