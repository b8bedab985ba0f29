import ExcelJS from 'exceljs';
import knexFactory from 'knex';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { OPENSSL_ITERATIONS } from '../../server/security/openssl-enc.js';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SaleView } from '../../server/contract/retail.js';
import type { RetailReconciliation } from '../../server/contract/retail.js';
import { json } from '../helpers/dock.js';
import { startTestWorkstation, type TestWorkstation } from '../helpers/workstation.js';

const VALID_ID = '11010519491231002X';
const chinaToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
let serial = 1;

// Issue 7 acceptance: reconciliation finds a sale whose row was deleted from the outbox by hand.
describe('retail reconciliation (对账)', () => {
  let ws: TestWorkstation;
  const sell = async (buyer: string): Promise<SaleView> => {
    const c = '8500001' + String(serial++).padStart(13, '0');
    await ws.db.knex('code_states').insert({ unit_id: ws.session.unitId, code: c, state: 'in_stock', level: 1, batch: 'RC1', movement_id: 0, updated_at: Date.now() });
    const s = await json<SaleView>(ws, 'POST', '/api/retail/sales', {});
    await json(ws, 'POST', `/api/retail/sales/${s.id}/codes`, { code: c });
    await json(ws, 'PUT', `/api/retail/sales/${s.id}/buyer`, { name: buyer, idNumber: VALID_ID });
    return json<SaleView>(ws, 'POST', `/api/retail/sales/${s.id}/complete`, {});
  };

  beforeAll(async () => {
    ws = await startTestWorkstation();
    const at = Date.now();
    const [p] = (await ws.db.knex('products').insert({ code: 'RC-YC', name: '复方盐酸伪麻黄碱缓释胶囊', approval_no: '国药准字H20003456', ephedrine: true, created_at: at, updated_at: at }).returning('id')) as Array<{ id: number }>;
    await ws.db.knex('product_codes').insert({ product_id: Number(p!.id), level: 1, kind: 'prefix', value: '8500001', status: 'active', proposed_at: at, decided_at: at });
  });
  afterAll(async () => ws?.stop());

  it('lists the sale whose outbox row is gone, and the rows not yet accepted', async () => {
    const sales = [await sell('甲'), await sell('乙'), await sell('丙')];
    const deadline = Date.now() + 20_000;
    const accepted = async () => Number(((await ws.db.knex('upload_records').where({ platform: 'gansu', state: 'accepted' }).count({ n: '*' }).first()) as { n: number }).n);
    while ((await accepted()) < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    let r = await json<RetailReconciliation>(ws, 'GET', `/api/retail/reconciliation?date=${chinaToday()}`);
    expect(r).toMatchObject({ sales: 3, expectedRows: 3, acceptedRows: 3, registerEntries: 3, differences: [] });

    // Someone deletes a row with the sqlite3 command line (foreign keys are off there by default).
    const cli = knexFactory({ client: 'sqlite3', connection: { filename: path.join(ws.dataDir, 'tracedock.sqlite') }, useNullAsDefault: true, pool: { min: 1, max: 1 } });
    await cli('upload_records').where({ platform: 'gansu', record_key: `sale:${sales[1]!.id}:${sales[1]!.lines[0]!.productId}` }).delete();
    await cli.destroy();

    r = await json<RetailReconciliation>(ws, 'GET', `/api/retail/reconciliation?date=${chinaToday()}`);
    expect(r).toMatchObject({ sales: 3, expectedRows: 3, acceptedRows: 2 });
    expect(r.differences).toEqual([expect.objectContaining({ saleId: sales[1]!.id, saleNumber: sales[1]!.number, kind: 'row_missing', saleQuantity: 1 })]);
    // A sale whose row waits (the platform unreachable): listed with its state.
    await ws.gansu.worker.stop();
    const waiting = await sell('丁');
    r = await json<RetailReconciliation>(ws, 'GET', `/api/retail/reconciliation?date=${chinaToday()}`);
    expect(r.differences.map((d) => [d.saleId, d.kind, d.state])).toEqual([
      [sales[1]!.id, 'row_missing', null],
      [waiting.id, 'row_not_accepted', 'pending'],
    ]);
    expect((await ws.api('/api/retail/reconciliation?date=tomorrow')).status).toBe(400);

    // The register: masked; the clear buyer of one entry for an administrator with a reason, audited.
    const register = await json<Array<{ id: number; saleId: number; buyerName: string; buyerId: string; quantity: number }>>(ws, 'GET', `/api/retail/register?date=${chinaToday()}`);
    expect(register).toHaveLength(4);
    expect(register[0]).toMatchObject({ buyerName: '*', buyerId: '110105********002X', quantity: 1 });
    expect((await ws.api(`/api/retail/register/${register[0]!.id}/reveal`, { method: 'POST', body: JSON.stringify({}) })).status).toBe(400);
    const clear = await json<{ buyerName: string; buyerId: string }>(ws, 'POST', `/api/retail/register/${register[0]!.id}/reveal`, { reason: '药监核查' });
    expect(clear).toEqual({ buyerName: '甲', buyerId: VALID_ID });
    const audit = (await ws.db.knex('audit_log').where({ action: 'personal_data.unmasked' }).select('detail')) as Array<{ detail: string }>;
    expect(audit.map((a) => a.detail).join()).toContain('药监核查');

    // The manager's daily report: figures, the differences in words, the register masked.
    const res = await ws.api(`/api/retail/reconciliation/report?date=${chinaToday()}`);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', '差异', '专册']);
    const cells = (name: string) => wb.getWorksheet(name)!.getSheetValues().flat().map(String).join('|');
    expect(cells('差异')).toContain(sales[1]!.number);
    expect(cells('差异')).toContain('平台未收到');
    expect(cells('专册')).toContain('110105********002X');
    expect(cells('专册') + cells('汇总')).not.toContain(VALID_ID);

    // With the buyers in clear it leaves only encrypted, in OpenSSL's format: openssl opens it.
    const weak = await ws.api('/api/retail/register/export', { method: 'POST', body: JSON.stringify({ date: chinaToday(), password: 'short', reason: '公安协查' }) });
    expect(weak.status).toBe(400);
    const enc = await ws.api('/api/retail/register/export', { method: 'POST', body: JSON.stringify({ date: chinaToday(), password: 'Export#Pass2026', reason: '公安协查' }) });
    const sealed = Buffer.from(await enc.arrayBuffer());
    expect(sealed.subarray(0, 8).toString()).toBe('Salted__');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enc-'));
    fs.writeFileSync(path.join(dir, 'r.enc'), sealed);
    execFileSync('openssl', ['enc', '-d', '-aes-256-cbc', '-pbkdf2', '-iter', String(OPENSSL_ITERATIONS), '-md', 'sha256', '-in', path.join(dir, 'r.enc'), '-out', path.join(dir, 'r.xlsx'), '-pass', 'pass:Export#Pass2026']);
    const clearBook = new ExcelJS.Workbook();
    await clearBook.xlsx.readFile(path.join(dir, 'r.xlsx'));
    expect(clearBook.getWorksheet('专册')!.getSheetValues().flat().map(String).join('|')).toContain(VALID_ID);
    const exports = (await ws.db.knex('audit_log').where({ action: 'export.created' }).select('detail')) as Array<{ detail: string }>;
    expect(exports.map((e) => e.detail).join()).toContain('公安协查');
    expect(await json<RetailReconciliation>(ws, 'GET', '/api/retail/reconciliation?date=2020-01-01')).toMatchObject({ sales: 0, differences: [] });
  });
});
