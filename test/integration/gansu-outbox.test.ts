import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SaleView } from '../../server/contract/retail.js';
import type { UploadSummaryView } from '../../server/contract/uploads.js';
import { SPENT_VOTES } from '../../server/services/gansu-uploads/worker.js';
import { json } from '../helpers/dock.js';
import { startTestWorkstation, type TestWorkstation } from '../helpers/workstation.js';

const VALID_ID = '11010519491231002X';
let serial = 1;

async function until(ok: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

// Completed key-variety sales reach the Gansu platform (the built-in sandbox) through the outbox:
// a fresh token per call, one call per second per account, the same token again after an unknown
// outcome (so a call that was stored is not stored twice), rows the platform names rejected.
describe('Gansu outbox', () => {
  let ws: TestWorkstation;
  const accepted = async () => Number(((await ws.db.knex('upload_records').where({ platform: 'gansu', state: 'accepted' }).count({ n: '*' }).first()) as { n: number }).n);
  const sellYc = async (packs: number, buyer = '张三'): Promise<SaleView> => {
    const at = Date.now();
    const codes = Array.from({ length: packs }, () => '8400001' + String(serial++).padStart(13, '0'));
    await ws.db.knex('code_states').insert(codes.map((c) => ({ unit_id: ws.session.unitId, code: c, state: 'in_stock', level: 1, batch: 'G1', movement_id: 0, updated_at: at })));
    let s = await json<SaleView>(ws, 'POST', '/api/retail/sales', {});
    for (const c of codes) s = await json<SaleView>(ws, 'POST', `/api/retail/sales/${s.id}/codes`, { code: c });
    await json(ws, 'PUT', `/api/retail/sales/${s.id}/buyer`, { name: buyer, idNumber: VALID_ID, phone: '13912345678' });
    return json<SaleView>(ws, 'POST', `/api/retail/sales/${s.id}/complete`, {});
  };

  beforeAll(async () => {
    ws = await startTestWorkstation({ env: { TRACEDOCK_UPLOAD_TIMEOUT_MS: '400', TRACEDOCK_UPLOAD_GRACE_MS: '100', TRACEDOCK_UPLOAD_BACKOFF_MS: '50' } });
    const at = Date.now();
    const [p] = (await ws.db.knex('products').insert({ code: 'G-YC', name: '复方盐酸伪麻黄碱缓释胶囊', generic_name: '复方盐酸伪麻黄碱缓释胶囊', approval_no: '国药准字H20003456', ephedrine: true, created_at: at, updated_at: at }).returning('id')) as Array<{ id: number }>;
    await ws.db.knex('product_codes').insert({ product_id: Number(p!.id), level: 1, kind: 'prefix', value: '8400001', status: 'active', proposed_at: at, decided_at: at });
  });
  afterAll(async () => ws?.stop());

  it('a sale’s row is stored once with every field, under the store’s appKey and a fresh token', async () => {
    await sellYc(2);
    await until(async () => (await accepted()) === 1);
    const rows = ws.gansu.sandbox!.rows();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows[0])).toContain(VALID_ID);
    const calls = ws.gansu.sandbox!.calls();
    expect(calls.filter((c) => c.code === 200)).toHaveLength(1);
    // The upload monitor shows the Gansu backlog next to the NHSA one.
    const summary = await json<UploadSummaryView>(ws, 'GET', '/api/uploads');
    expect(summary.backlog.find((b) => b.platform === 'gansu')).toMatchObject({ operation: 'saveSaleData', title: { 'zh-CN': '甘肃重点品种销售数据上报' }, counts: { accepted: 1, pending: 0 } });
  });

  it('an answer lost after storing: the same rows go again with the same token, 402 settles them — stored once', async () => {
    ws.gansu.sandbox!.forceFaults(['drop-after-store']);
    await sellYc(1, '李四');
    await sellYc(1, '王五');
    await until(async () => (await accepted()) === 3);
    expect(await accepted()).toBe(3);
    expect(ws.gansu.sandbox!.rows()).toHaveLength(3);
    expect(ws.gansu.sandbox!.duplicates()).toEqual([]);
    const tokens = ws.gansu.sandbox!.calls().map((c) => c.token);
    const events = (await ws.db.knex('upload_events').join('upload_records as r', 'r.id', 'upload_events.record_id').where('r.platform', 'gansu').pluck('event')) as string[];
    expect(events).toContain('resolved-accepted');
    // The resends reused the dropped call's token until SPENT_VOTES answers of 402 in a row proved it
    // spent; every other call had a token never used before.
    const uses = [...tokens.reduce((m, t) => m.set(t, (m.get(t) ?? 0) + 1), new Map<string, number>()).values()];
    expect(uses.filter((n) => n > 1)).toEqual([1 + SPENT_VOTES]);
  });

  it('a timeout that stored nothing: the same token stores the rows once; a 453 waits and goes again', async () => {
    ws.gansu.sandbox!.setFaults({ hangMs: 600 });
    ws.gansu.sandbox!.forceFaults(['timeout', '453']);
    await sellYc(1, '赵六');
    await until(async () => (await accepted()) === 4);
    expect(ws.gansu.sandbox!.rows()).toHaveLength(4);
    expect(ws.gansu.sandbox!.duplicates()).toEqual([]);
    const starts = ws.gansu.sandbox!.calls().filter((c) => c.code === 200 || c.code === 402).map((c) => c.at).sort((a, b) => a - b);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(1000);
  });
});
