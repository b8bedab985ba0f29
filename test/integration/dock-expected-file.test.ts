import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentDetailView } from '../../server/contract/dock.js';
import { documentDetail, openDocument, seedCase, seedDock, type DockFixture } from '../helpers/dock.js';
import { startTestWorkstation, type TestWorkstation } from '../helpers/workstation.js';

// Expected content loaded from the supplier's file (CSV or XLSX): codes and product lines.
describe('expected content from a file', () => {
  let ws: TestWorkstation;
  let fx: DockFixture;
  beforeAll(async () => {
    ws = await startTestWorkstation();
    fx = await seedDock(ws.db.knex, ws.session.unitId);
  });
  afterAll(async () => ws?.stop());

  const upload = (id: number, body: string | Buffer, format: 'csv' | 'xlsx') =>
    ws.api(`/api/documents/${id}/expected?format=${format}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array(typeof body === 'string' ? Buffer.from(body) : body) });

  it('reads a CSV of codes and product lines; a case counts its units', async () => {
    const tree = await seedCase(ws.db.knex);
    const doc = await openDocument(ws, { direction: 'in', number: 'RK-F1', type: '102', counterpartyId: fx.supplierId });
    const res = await upload(doc.id, `追溯码,数量,批号\n${tree.case}\nP-IBU,20,B9\n`, 'csv');
    expect(res.status).toBe(200);
    const detail = (await res.json()) as DocumentDetailView;
    expect(detail.reconciliation).toMatchObject({ expected: 30, missing: 30 });
    expect(detail.reconciliation.lines.map((l) => [l.code, l.productName, l.expected])).toEqual([
      [tree.case, null, 10],
      [null, '布洛芬缓释胶囊', 20],
    ]);
  });

  it('reads XLSX; a bad row is named and nothing is written', async () => {
    const doc = await openDocument(ws, { direction: 'in', number: 'RK-F2', type: '102', counterpartyId: fx.supplierId });
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('到货清单');
    sheet.addRows([['商品编号', '数量'], ['P-AMOX', 10], ['P-IBU', 'abc']]);
    const bad = await upload(doc.id, Buffer.from(await wb.xlsx.writeBuffer()), 'xlsx');
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('EXPECTED_INVALID');
    expect(body.error.message).toContain('row 3');
    expect((await documentDetail(ws, doc.id)).reconciliation.lines).toEqual([]);

    sheet.getRow(3).getCell(2).value = 5;
    const good = await upload(doc.id, Buffer.from(await wb.xlsx.writeBuffer()), 'xlsx');
    expect(good.status).toBe(200);
    expect(((await good.json()) as DocumentDetailView).reconciliation.expected).toBe(15);
  });
});
