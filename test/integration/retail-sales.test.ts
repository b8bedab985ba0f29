import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RetailRulesView, SaleView } from '../../server/contract/retail.js';
import { json } from '../helpers/dock.js';
import { startTestWorkstation, type TestWorkstation } from '../helpers/workstation.js';

const VALID_ID = '11010519491231002X';
const INVALID_ID = '110105194912310021'; // the check character of this body is X, not 1
const PREFIX = { yc: '8300001', yb: '8300002', yd: '8300003', plain: '8300004' } as const;
let serial = 1;
const code = (prefix: string) => prefix + String(serial++).padStart(13, '0');

// Issue 7 acceptance (limits), through HTTP against a real SQLite file: the rule table decides,
// a block says which rule and why, completion ships the packs and writes register and Gansu rows.
describe('retail sales', () => {
  let ws: TestWorkstation;
  const stock = async (prefix: string, n: number): Promise<string[]> => {
    const codes = Array.from({ length: n }, () => code(prefix));
    const at = Date.now();
    await ws.db.knex('code_states').insert(codes.map((c) => ({ unit_id: ws.session.unitId, code: c, state: 'in_stock', level: 1, batch: 'R2026', expiry: '2028-12-31', movement_id: 0, updated_at: at })));
    return codes;
  };
  const sale = async (codes: string[]): Promise<SaleView> => {
    let s = await json<SaleView>(ws, 'POST', '/api/retail/sales', {});
    for (const c of codes) s = await json<SaleView>(ws, 'POST', `/api/retail/sales/${s.id}/codes`, { code: c });
    return s;
  };
  const complete = (id: number) => ws.api(`/api/retail/sales/${id}/complete`, { method: 'POST', body: '{}' });
  const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string; messages: Record<string, string> } }).error;

  beforeAll(async () => {
    ws = await startTestWorkstation();
    const at = Date.now();
    const product = async (code: string, name: string, flags: Record<string, boolean>, prefix: string) => {
      const [p] = (await ws.db.knex('products').insert({ code, name, generic_name: name, approval_no: '国药准字H20003456', manufacturer: '兰州示范制药', created_at: at, updated_at: at, ...flags }).returning('id')) as Array<{ id: number }>;
      await ws.db.knex('product_codes').insert({ product_id: Number(p!.id), level: 1, kind: 'prefix', value: prefix, status: 'active', proposed_at: at, decided_at: at });
    };
    await product('R-YC', '复方盐酸伪麻黄碱缓释胶囊', { ephedrine: true }, PREFIX.yc);
    await product('R-YB', '阿莫西林胶囊', { prescription: true }, PREFIX.yb);
    await product('R-YD', '氨酚曲马多片', { narcotic_compound: true, prescription: true }, PREFIX.yd);
    await product('R-OTC', '维生素C片', {}, PREFIX.plain);
  });
  afterAll(async () => ws?.stop());

  it('ephedrine compound: 2 packs with a valid ID → completes; register, stock and the Gansu row follow', async () => {
    const codes = await stock(PREFIX.yc, 2);
    const s = await sale(codes);
    expect(s.evaluation).toMatchObject({ allowed: false });
    expect(s.evaluation.needs).toEqual(expect.arrayContaining(['buyer.name', 'buyer.idNumber']));
    const withBuyer = await json<SaleView>(ws, 'PUT', `/api/retail/sales/${s.id}/buyer`, { name: '张三丰', idNumber: VALID_ID, phone: '13912345678' });
    expect(withBuyer.buyer).toEqual({ name: '张**', idNumber: '110105********002X', phone: '139****5678', residence: null });
    expect(withBuyer.evaluation).toMatchObject({ allowed: true, blocks: [] });
    const done = await json<SaleView>(ws, 'POST', `/api/retail/sales/${s.id}/complete`, {});
    expect(done).toMatchObject({ status: 'completed' });
    expect(await ws.db.knex('code_states').whereIn('code', codes).pluck('state')).toEqual(['sold', 'sold']);
    const reg = (await ws.db.knex('register_entries').where({ sale_id: s.id })) as Array<Record<string, unknown>>;
    expect(reg).toHaveLength(1);
    expect(reg[0]).toMatchObject({ quantity: 2, categories: 'YC', drug_name: '复方盐酸伪麻黄碱缓释胶囊' });
    const up = (await ws.db.knex('upload_records').where({ platform: 'gansu' })) as Array<{ payload: string; record_key: string }>;
    expect(up).toHaveLength(1);
    // Personal data never sits in plain text: not in the sale, the register or the outbox.
    const files = ['tracedock.sqlite', 'tracedock.sqlite-wal'].map((f) => path.join(ws.dataDir, f)).filter((f) => fs.existsSync(f));
    const raw = files.map((f) => fs.readFileSync(f).toString('latin1')).join('') + JSON.stringify(reg) + up[0]!.payload;
    expect(raw).toContain('R2026'); // the batch is there in clear: the check can see rows
    expect(raw).not.toContain(VALID_ID);
    expect(raw).not.toContain('13912345678');
    const row = JSON.parse(ws.accounts.cipher.decrypt(up[0]!.payload, 'upload_records.payload')) as Record<string, unknown>;
    expect(row).toMatchObject({ drugType: 'YC', quantity: 2, purchaserName: '张三丰', purchaserId: VALID_ID, drugstoreTyshxydm: '91350100M000100Y43', dataSource: '1', approvalNo: '国药准字H20003456' });
    expect(row.saleTime).toBe(Math.floor(done.completedAt! / 1000));
  });

  it('a third pack is blocked, naming the rule; nothing is written', async () => {
    const codes = await stock(PREFIX.yc, 3);
    const s = await sale(codes);
    await json(ws, 'PUT', `/api/retail/sales/${s.id}/buyer`, { name: '李四', idNumber: VALID_ID });
    const detail = await json<SaleView>(ws, 'GET', `/api/retail/sales/${s.id}`);
    expect(detail.evaluation.blocks.map((b) => b.ruleId)).toEqual(['yc-max-per-sale']);
    const res = await complete(s.id);
    expect(res.status).toBe(409);
    const err = await errorOf(res);
    expect(err.code).toBe('SALE_BLOCKED');
    expect(err.messages['zh-CN']).toMatch(/2/);
    expect(await ws.db.knex('code_states').whereIn('code', codes).pluck('state')).toEqual(['in_stock', 'in_stock', 'in_stock']);
    expect(await ws.db.knex('register_entries').where({ sale_id: s.id })).toHaveLength(0);
  });

  it('an invalid ID number and a missing ID are blocked', async () => {
    const s = await sale(await stock(PREFIX.yc, 1));
    await json(ws, 'PUT', `/api/retail/sales/${s.id}/buyer`, { name: '王五', idNumber: INVALID_ID });
    const res = await complete(s.id);
    expect(res.status).toBe(409);
    expect((await errorOf(res)).messages['zh-CN']).toMatch(/身份证|校验/);
    const noId = await sale(await stock(PREFIX.yc, 1));
    await json(ws, 'PUT', `/api/retail/sales/${noId.id}/buyer`, { name: '赵六' });
    expect((await json<SaleView>(ws, 'GET', `/api/retail/sales/${noId.id}`)).evaluation.needs).toContain('buyer.idNumber');
    expect((await complete(noId.id)).status).toBe(409);
  });

  it('a prescription drug needs the prescription and its photo; then it completes', async () => {
    const s = await sale(await stock(PREFIX.yb, 1));
    expect((await complete(s.id)).status).toBe(409);
    await json(ws, 'PUT', `/api/retail/sales/${s.id}/prescription`, { number: 'CF-2026-001', prescriber: '刘医生', hospital: '兰州市第一人民医院', date: '2026-11-20' });
    expect((await json<SaleView>(ws, 'GET', `/api/retail/sales/${s.id}`)).evaluation.needs).toEqual(['prescription.photoRef']);
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('处方照片'.repeat(100))]);
    const bad = await ws.api(`/api/retail/sales/${s.id}/prescription/photo`, { method: 'PUT', body: Buffer.from('not an image'), headers: { 'content-type': 'image/png' } });
    expect(bad.status).toBe(400);
    const up = await ws.api(`/api/retail/sales/${s.id}/prescription/photo`, { method: 'PUT', body: png, headers: { 'content-type': 'image/png' } });
    expect(up.status).toBe(200);
    const back = Buffer.from(await (await ws.api(`/api/retail/sales/${s.id}/prescription/photo`)).arrayBuffer());
    expect(back.equals(png)).toBe(true);
    const [file] = fs.readdirSync(path.join(ws.dataDir, 'prescriptions'));
    expect(fs.readFileSync(path.join(ws.dataDir, 'prescriptions', file!)).includes(Buffer.from('处方照片'))).toBe(false);
    expect((await complete(s.id)).status).toBe(200);
  });

  it('a narcotic compound without a prescription is blocked', async () => {
    const s = await sale(await stock(PREFIX.yd, 1));
    await json(ws, 'PUT', `/api/retail/sales/${s.id}/buyer`, { name: '孙七', idNumber: VALID_ID });
    expect((await json<SaleView>(ws, 'GET', `/api/retail/sales/${s.id}`)).evaluation.blocks.map((b) => b.ruleId)).toContain('yd-prescription-only');
    expect((await complete(s.id)).status).toBe(409);
  });

  it('a rule-table change applies to the next decision without a restart; a broken table is refused', async () => {
    const cur = await json<RetailRulesView>(ws, 'GET', '/api/retail/rules');
    const table = JSON.parse(JSON.stringify(cur.rules)) as { rules: Array<{ id: string; params: Record<string, unknown> }> };
    table.rules.find((r) => r.id === 'yc-max-per-sale')!.params.maxPacks = 3;
    const saved = await json<RetailRulesView>(ws, 'PUT', '/api/retail/rules', { rules: table, note: '试行：每次 3 盒' });
    expect(saved.id).toBeGreaterThan(0);
    const s = await sale(await stock(PREFIX.yc, 3));
    await json(ws, 'PUT', `/api/retail/sales/${s.id}/buyer`, { name: '周八', idNumber: VALID_ID });
    expect((await complete(s.id)).status).toBe(200);
    const broken = await ws.api('/api/retail/rules', { method: 'PUT', body: JSON.stringify({ rules: { version: 1, rules: [{ id: 'x', kind: 'max_per_sale' }] } }) });
    expect(broken.status).toBe(400);
    expect((await errorOf(broken)).code).toBe('RETAIL_RULES_INVALID');
    expect((await json<RetailRulesView>(ws, 'GET', '/api/retail/rules')).id).toBe(saved.id);
  });

  it('a pack sells once: a second sale of the same code is refused in words; unknown and unreceived packs too', async () => {
    const [c] = await stock(PREFIX.plain, 1);
    const first = await sale([c!]);
    expect((await complete(first.id)).status).toBe(200);
    expect(await ws.db.knex('upload_records').where({ platform: 'gansu', record_key: `sale:${first.id}:1` })).toHaveLength(0); // not a key variety
    const second = await json<SaleView>(ws, 'POST', '/api/retail/sales', {});
    const again = await ws.api(`/api/retail/sales/${second.id}/codes`, { method: 'POST', body: JSON.stringify({ code: c }) });
    expect(again.status).toBe(409);
    expect((await errorOf(again)).messages['zh-CN']).toMatch(/售出.*回流药|回流药/);
    const notIn = await ws.api(`/api/retail/sales/${second.id}/codes`, { method: 'POST', body: JSON.stringify({ code: code(PREFIX.plain) }) });
    expect((await errorOf(notIn)).messages['zh-CN']).toMatch(/不在本店库存/);
  });
});
