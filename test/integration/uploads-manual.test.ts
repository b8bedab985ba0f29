import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UploadLedgerEntryView } from '../../server/contract/uploads.js';
import { mapRecord } from '../../server/platforms/nhsa/param.js';
import type { CanonicalRecord } from '../../server/platforms/nhsa/profile.schema.js';
import type { ManualExportCreatedView, ManualExportView, ManualSettledView } from '../../server/contract/uploads.js';
import { dockStation, json, openDocument, seedCase, seedDock, type DockFixture } from '../helpers/dock.js';
import { startTestWorkstation, type TestWorkstation } from '../helpers/workstation.js';

type RecordRow = { id: number; code: string; state: string; payload: string; message: string | null; batch_id: number | null };
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// The manual-upload fallback (the portal's 网页上传) over real HTTP and a real SQLite file.
describe('NHSA manual upload', () => {
  let ws: TestWorkstation;
  let fx: DockFixture;
  let receiving: number;
  let docSeq = 0;

  /** A completed inbound document: 16 pending circulation records (a 1:5:10 case). */
  async function completedDocument(): Promise<{ id: number; records: RecordRow[] }> {
    const c = await seedCase(ws.db.knex);
    const doc = await openDocument(ws, { direction: 'in', number: `RK-MAN-${++docSeq}`, type: '102', counterpartyId: fx.supplierId, stationId: receiving });
    expect(await ws.postScan(receiving, c.case)).toMatchObject({ decision: 'accepted' });
    await json(ws, 'POST', `/api/documents/${doc.id}/complete`, {});
    return { id: doc.id, records: await recordsOf(doc.id) };
  }
  const recordsOf = async (documentId: number) => (await ws.db.knex('upload_records').where({ document_id: documentId }).orderBy('id')) as RecordRow[];
  const snapshot = async () => ({
    records: (await ws.db.knex('upload_records').orderBy('id').select('id', 'state', 'message', 'batch_id')) as unknown[],
    events: Number(((await ws.db.knex('upload_events').count({ n: '*' })) as Array<{ n: number }>)[0]!.n),
    batches: (await ws.db.knex('upload_batches').orderBy('id').select('id', 'outcome', 'finished_at')) as unknown[],
  });
  const post = (url: string, body: Buffer | string, type: string) => ws.api(url, { method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body), headers: { 'content-type': type } });
  async function xlsx(rows: unknown[][]): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('错误报告');
    for (const r of rows) sheet.addRow(r);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
  async function download(file: string): Promise<ExcelJS.Worksheet> {
    const res = await ws.api(file);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain(XLSX);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
    return wb.worksheets[0]!;
  }
  const cells = (sheet: ExcelJS.Worksheet, n: number) => (sheet.getRow(n).values as unknown[]).slice(1);

  beforeAll(async () => {
    ws = await startTestWorkstation();
    // Records must stay pending until exported: no worker draining them to the sandbox meanwhile.
    await ws.uploads.worker.stop();
    fx = await seedDock(ws.db.knex, ws.session.unitId);
    receiving = (await dockStation(ws, '收货', 'receiving')).id;
  });
  afterAll(async () => ws?.stop());

  let first: { id: number; records: RecordRow[] };
  let exp: ManualExportCreatedView;
  let sheet: ExcelJS.Worksheet;

  it('exports the pending records as the portal import file; exported records are manual and the worker leaves them alone', async () => {
    first = await completedDocument();
    expect(first.records).toHaveLength(16);
    expect(first.records.every((r) => r.state === 'pending')).toBe(true);

    const bad = await ws.api('/api/uploads/manual-exports', { method: 'POST', body: JSON.stringify({ operation: 'nonsense' }) });
    expect(bad.status).toBe(400);

    exp = await json<ManualExportCreatedView>(ws, 'POST', '/api/uploads/manual-exports', { operation: 'circulation' });
    expect(exp).toMatchObject({ operation: 'circulation', count: 16, refused: [], file: `/api/uploads/manual-exports/${exp.batchId}/file` });
    const batch = await ws.db.knex('upload_batches').where({ id: exp.batchId }).first();
    expect(batch).toMatchObject({ channel: 'manual', outcome: 'exported', record_count: 16, param_text: null, operation: 'circulation' });
    expect((await recordsOf(first.id)).every((r) => r.state === 'manual' && Number(r.batch_id) === exp.batchId)).toBe(true);

    // Nothing pending is left: a second export has nothing to take.
    const again = await ws.api('/api/uploads/manual-exports', { method: 'POST', body: JSON.stringify({ operation: 'circulation' }) });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('UPLOAD_NOTHING_TO_EXPORT');

    // The file: one sheet named after the operation, 记录号 then header then item fields, valued as the API sends.
    const op = ws.uploads.client.profile.operations.circulation;
    sheet = await download(exp.file);
    expect(sheet.name).toBe('流通信息上传');
    const fields = [...op.header, ...op.item];
    expect(cells(sheet, 1)).toEqual(['记录号 record', ...fields.map((f) => expect.stringMatching(new RegExp(` ${f.name}$`)))]);
    expect(cells(sheet, 1)).toContain('追溯码 drug_trac_codg');
    expect(sheet.actualRowCount).toBe(17);
    const rec = first.records[3]!;
    const row = [...Array(17).keys()].map((i) => cells(sheet, i + 1)).find((c) => c[0] === rec.id)!;
    const m = mapRecord(op, JSON.parse(rec.payload) as CanonicalRecord);
    if (!m.ok) throw new Error('record does not map');
    const expected = { ...m.header, ...m.item };
    expect(row.slice(1)).toEqual(fields.map((f) => expected[f.name] ?? null));
    expect(expected).toMatchObject({ flow_dir: '1', bill_no: 'RK-MAN-1', drug_trac_codg: rec.code });

    // Even a running worker does not send manual records.
    await ws.uploads.worker.start();
    await new Promise((r) => setTimeout(r, 400));
    await ws.uploads.worker.stop();
    expect((await recordsOf(first.id)).every((r) => r.state === 'manual')).toBe(true);
    expect(ws.uploads.sandbox!.rows()).toEqual([]);

    const list = await json<ManualExportView[]>(ws, 'GET', '/api/uploads/manual-exports');
    expect(list[0]).toMatchObject({ id: exp.batchId, operation: 'circulation', count: 16, outcome: 'exported', counts: { manual: 16, accepted: 0, rejected: 0, cancelled: 0 } });
  });

  it('refuses a report naming a code outside the export, or one without a key or reason column, changing nothing', async () => {
    const before = await snapshot();
    const url = `/api/uploads/manual-exports/${exp.batchId}/report`;
    const foreign = await post(`${url}?format=csv`, `追溯码,错误原因\r\n${first.records[0]!.code},追溯码重复\r\n81000019999999999999,追溯码不存在\r\n`, 'text/csv');
    expect(foreign.status).toBe(400);
    const body = (await foreign.json()) as { error: { code: string; message: string; issues?: Array<{ path: string }> } };
    expect(body.error.code).toBe('UPLOAD_REPORT_INVALID');
    expect(body.error.issues).toEqual([expect.objectContaining({ path: 'row 3' })]);

    const noKey = await post(url, await xlsx([['商品名称', '错误原因'], ['阿莫西林胶囊', '不存在']]), XLSX);
    expect(noKey.status).toBe(400);
    expect(((await noKey.json()) as { error: { code: string } }).error.code).toBe('UPLOAD_REPORT_INVALID');
    const noReason = await post(url, await xlsx([['追溯码'], [first.records[0]!.code]]), XLSX);
    expect(noReason.status).toBe(400);
    const asJson = await ws.api(url, { method: 'POST', body: JSON.stringify({ rows: [] }) });
    expect(asJson.status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it("imports the portal's error report: the listed records are rejected with its reasons, the rest accepted", async () => {
    // What the portal hands back: the uploaded rows that failed, with its reason, under a title line.
    const header = cells(sheet, 1) as string[];
    const failing = [2, 5, 9].map((n) => cells(sheet, n));
    const reasons = ['追溯码未激活', '收货企业信息与备案不一致', '追溯码重复上传'];
    const report = await xlsx([['流通企业药耗配送信息导入错误报告'], [...header, '错误原因'], ...failing.map((c, i) => [...c, reasons[i]])]);
    const settled = await (async () => {
      const res = await post(`/api/uploads/manual-exports/${exp.batchId}/report`, report, XLSX);
      expect(res.status).toBe(200);
      return (await res.json()) as ManualSettledView;
    })();
    expect(settled.accepted).toBe(13);
    expect(settled.rejected).toEqual(failing.map((c, i) => ({ recordId: c[0], code: c[header.indexOf('追溯码 drug_trac_codg')], reason: reasons[i] })));

    const after = await recordsOf(first.id);
    const rejectedIds = new Set(failing.map((c) => c[0]));
    expect(after.filter((r) => r.state === 'rejected').map((r) => r.id).sort()).toEqual([...rejectedIds].sort());
    expect(after.filter((r) => r.state === 'accepted')).toHaveLength(13);
    expect(after.find((r) => r.id === failing[1]![0])!.message).toBe(reasons[1]);

    const code = String(failing[0]![header.indexOf('追溯码 drug_trac_codg')]);
    const ledger = await json<UploadLedgerEntryView[]>(ws, 'GET', `/api/codes/${code}/uploads`);
    expect(ledger.map((e) => e.event)).toEqual(['queued', 'exported', 'manual-rejected']);
    expect(ledger[2]).toMatchObject({ channel: 'manual', batchId: exp.batchId, message: reasons[0], operatorId: ws.session.operatorId });
    const okCode = after.find((r) => r.state === 'accepted')!.code;
    expect((await json<UploadLedgerEntryView[]>(ws, 'GET', `/api/codes/${okCode}/uploads`)).map((e) => e.event)).toEqual(['queued', 'exported', 'manual-accepted']);

    expect(await json<ManualExportView>(ws, 'GET', `/api/uploads/manual-exports/${exp.batchId}`)).toMatchObject({ outcome: 'partial', counts: { manual: 0, accepted: 13, rejected: 3, cancelled: 0 } });
    // Settled: neither a second report nor a confirmation has anything left to decide.
    const twice = await ws.api(`/api/uploads/manual-exports/${exp.batchId}/confirm`, { method: 'POST', body: '{}' });
    expect(twice.status).toBe(409);
    expect(ws.uploads.sandbox!.rows()).toEqual([]);
  });

  it('cancel puts an export back in the queue; a key-only CSV report and a confirmation settle the next ones', async () => {
    const doc = await completedDocument();
    const picked = doc.records.slice(0, 5).map((r) => r.id);
    // Records that are not pending (already accepted ones) are ignored.
    const part = await json<ManualExportCreatedView>(ws, 'POST', '/api/uploads/manual-exports', { operation: 'circulation', recordIds: [...picked, first.records[0]!.id] });
    expect(part.count).toBe(5);
    const shortReason = await ws.api(`/api/uploads/manual-exports/${part.batchId}/cancel`, { method: 'POST', body: JSON.stringify({ reason: '' }) });
    expect(shortReason.status).toBe(400);
    expect(await json(ws, 'POST', `/api/uploads/manual-exports/${part.batchId}/cancel`, { reason: '门户维护，改用接口上传' })).toEqual({ cancelled: 5 });
    const back = await recordsOf(doc.id);
    expect(back.every((r) => r.state === 'pending')).toBe(true);
    const ledger = await json<UploadLedgerEntryView[]>(ws, 'GET', `/api/codes/${back[0]!.code}/uploads`);
    expect(ledger.map((e) => e.event)).toEqual(['queued', 'exported', 'manual-cancelled']);
    expect(ledger[2]!.message).toBe('门户维护，改用接口上传');
    expect(await json<ManualExportView>(ws, 'GET', `/api/uploads/manual-exports/${part.batchId}`)).toMatchObject({ outcome: 'cancelled', counts: { manual: 0, cancelled: 5 } });

    // All 16 exported again; the portal's report names one code only (no 记录号 column), as CSV.
    const all = await json<ManualExportCreatedView>(ws, 'POST', '/api/uploads/manual-exports', { operation: 'circulation' });
    expect(all.count).toBe(16);
    const victim = back[7]!;
    const csv = `\ufeff序号,药品追溯码 drug_trac_codg,错误信息\r\n1,${victim.code},追溯码不存在\r\n`;
    const res = await post(`/api/uploads/manual-exports/${all.batchId}/report?format=csv`, csv, 'text/csv');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 15, rejected: [{ recordId: victim.id, code: victim.code, reason: '追溯码不存在' }] });

    const third = await completedDocument();
    const e3 = await json<ManualExportCreatedView>(ws, 'POST', '/api/uploads/manual-exports', { operation: 'circulation', recordIds: third.records.map((r) => r.id) });
    expect(await json(ws, 'POST', `/api/uploads/manual-exports/${e3.batchId}/confirm`, {})).toEqual({ accepted: 16, rejected: [] });
    expect((await recordsOf(third.id)).every((r) => r.state === 'accepted')).toBe(true);
    expect(await json<ManualExportView>(ws, 'GET', `/api/uploads/manual-exports/${e3.batchId}`)).toMatchObject({ outcome: 'accepted', finishedAt: expect.any(Number) });

    const list = await json<ManualExportView[]>(ws, 'GET', '/api/uploads/manual-exports');
    expect(list.map((e) => e.id)).toEqual([e3.batchId, all.batchId, part.batchId, exp.batchId]);
    expect((await ws.api('/api/uploads/manual-exports/999999/file')).status).toBe(404);
    expect(ws.uploads.sandbox!.rows()).toEqual([]);
  });
});
