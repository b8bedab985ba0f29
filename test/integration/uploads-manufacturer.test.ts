import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockStation, json, openDocument } from '../helpers/dock.js';
import { uploadsWhen } from '../helpers/uploads.js';
import { startTestWorkstation, type TestWorkstation } from '../helpers/workstation.js';

const fixture = path.resolve(import.meta.dirname, '../fixtures/relations/case-1-5-10.xml');

const ops = async (ws: TestWorkstation) =>
  Object.fromEntries(((await ws.db.knex('upload_records').groupBy('operation').select('operation').count({ n: '*' })) as Array<{ operation: string; n: number }>).map((r) => [r.operation, Number(r.n)]));

// The guide's FAQ 1–2: a manufacturer uploads product information by kind, trace codes with their
// hierarchy, and shipping (consumables also distribution) — not circulation.
describe('uploads of a manufacturer', () => {
  let ws: TestWorkstation;
  beforeAll(async () => {
    ws = await startTestWorkstation({ env: { TRACEDOCK_UPLOAD_GRACE_MS: '100' } });
    await ws.db.knex('units').where({ id: ws.session.unitId }).update({ type: 'manufacturer' });
  });
  afterAll(async () => ws?.stop());

  it('product information goes to the operation of its kind, in the product’s transaction', async () => {
    const base = { name: '阿莫西林胶囊', genericName: '阿莫西林', manufacturer: '兰州示范制药', ratio: '1:5:10' };
    await json(ws, 'POST', '/api/products', { ...base, code: 'M-1', approvalNo: '国药准字H20003456', nhsaCode: 'XJ01CAA040A001010100001', prefix1: '8100001', prefix2: '8100002', prefix3: '8100003' });
    await json(ws, 'POST', '/api/products', { ...base, code: 'M-2', approvalNo: '国药准字HJ20170001', nhsaCode: 'XJ01CAA040A001010100002' });
    await json(ws, 'POST', '/api/products', { ...base, code: 'M-3', name: '一次性输液器', genericName: '输液器', nhsaCode: 'C1234567890123456789' });
    expect(await ops(ws)).toEqual({ drugDomestic: 1, drugImported: 1, consumable: 1 });
    const s = await uploadsWhen(ws, (s) => s.totals.accepted >= 3);
    expect(s.totals.accepted).toBe(3);
    expect(ws.uploads.sandbox!.rows().map((r) => [r.operation, r.fields.med_list_codg])).toEqual(
      expect.arrayContaining([
        ['drugDomestic', 'XJ01CAA040A001010100001'],
        ['drugImported', 'XJ01CAA040A001010100002'],
        ['consumable', 'C1234567890123456789'],
      ]),
    );
  });

  it('a product call whose answer is lost is settled by asking the platform by upload date, not resent', async () => {
    ws.uploads.sandbox!.forceFaults(['drop-after-store']);
    await json(ws, 'POST', '/api/products', { name: '布洛芬缓释胶囊', genericName: '布洛芬', manufacturer: '兰州示范制药', code: 'M-4', approvalNo: '国药准字H10900089', nhsaCode: 'XN02BAA040A001010100003' });
    await uploadsWhen(ws, (s) => s.totals.accepted >= 4);
    expect(ws.uploads.sandbox!.rows().filter((r) => r.fields.med_list_codg === 'XN02BAA040A001010100003')).toHaveLength(1);
    const events = (await ws.db.knex('upload_events as e').join('upload_records as r', 'r.id', 'e.record_id').whereRaw(`r.payload LIKE '%XN02BAA040A001010100003%'`).orderBy('e.id').pluck('e.event')) as string[];
    expect(events).toEqual(['queued', 'sent', 'unknown', 'resolved-accepted']);
    expect(ws.uploads.sandbox!.stats().calls).toMatchObject({ queryByDate: expect.any(Number) });
  });

  it('a relation import queues 追溯码信息上传 for every new code, with parent, level and NHSA code', async () => {
    const res = await ws.api('/api/relations/import?name=case.xml', { method: 'POST', body: fs.readFileSync(fixture), headers: { 'content-type': 'application/xml' } });
    expect(res.status).toBe(201);
    expect((await ops(ws)).traceCode).toBe(16);
    await uploadsWhen(ws, (s) => s.totals.accepted >= 4 + 16);
    const rows = ws.uploads.sandbox!.rows({ queryType: 'trace_code' });
    expect(rows).toHaveLength(16);
    const unit = rows.find((r) => r.fields.pac_lv === 1)!;
    expect(unit.fields).toMatchObject({ med_list_codg: 'XJ01CAA040A001010100001', manu_lotnum: 'B20240601', expy_end: '2026-05-31' });
    expect(String(unit.fields.prnt_trac_codg)).toMatch(/^8100002/);
  });

  it('an outbound document queues 发货信息上传, not circulation', async () => {
    const [cp] = (await ws.db.knex('counterparties').insert({ unit_id: ws.session.unitId, name: '兰州医药批发', uscc: '91620100MA7XXXXX1A'.replace(/X/g, '0'), type: 'wholesaler', created_at: Date.now(), updated_at: Date.now() }).returning('id')) as Array<{ id: number }>;
    // The manufacturer's own codes are in stock, as production put them there.
    const station = await dockStation(ws, '发货', 'dispatch');
    const caseCode = ((await ws.db.knex('packs').where({ level: 3 }).first('code')) as { code: string }).code;
    await ws.db.knex('code_states').insert(
      ((await ws.db.knex('packs').select('code', 'level', 'batch', 'expiry')) as Array<{ code: string; level: number; batch: string; expiry: string }>).map((p) => ({ unit_id: ws.session.unitId, code: p.code, state: 'in_stock', level: p.level, batch: p.batch, expiry: '2099-12-31', movement_id: 0, updated_at: Date.now() })),
    );
    const doc = await openDocument(ws, { direction: 'out', number: 'FH-0001', type: '201', counterpartyId: Number(cp!.id), stationId: station.id, expected: { codes: [caseCode] } });
    expect(await ws.postScan(station.id, caseCode)).toMatchObject({ decision: 'accepted' });
    await json(ws, 'POST', `/api/documents/${doc.id}/complete`, {});
    const o = await ops(ws);
    expect(o.shipping).toBe(16);
    expect(o.circulation).toBeUndefined();
    expect(o.distribution).toBeUndefined(); // a drug, not a consumable
    await uploadsWhen(ws, (s) => s.totals.accepted >= 4 + 16 + 16);
    const shipped = ws.uploads.sandbox!.rows({ queryType: 'shipping' });
    expect(shipped).toHaveLength(16);
    expect(shipped[0]!.fields).toMatchObject({ bill_no: 'FH-0001', shp_stas: '1', rcv_entp_name: '兰州医药批发' });
  });
});
