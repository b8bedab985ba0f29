import knexFactory from 'knex';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SaleView } from '../../server/contract/retail.js';
import type { RetailReconciliation } from '../../server/services/retail/reconciliation.js';
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
    expect(await json<RetailReconciliation>(ws, 'GET', '/api/retail/reconciliation?date=2020-01-01')).toMatchObject({ sales: 0, differences: [] });
  });
});
