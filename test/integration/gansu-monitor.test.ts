import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SaleView } from '../../server/contract/retail.js';
import type { GansuMonitorView, UploadSummaryView } from '../../server/contract/uploads.js';
import { json } from '../helpers/dock.js';
import { waitFor, type ClientSocket } from '../helpers/socket.js';
import { startTestWorkstation, type TestWorkstation } from '../helpers/workstation.js';

const VALID_ID = '11010519491231002X';
let serial = 1;

/** A product of the ephedrine category with `n` packs in stock; its id and the codes. */
async function ycProduct(ws: TestWorkstation, prefix: string, approvalNo: string | null): Promise<{ productId: number; codes: () => Promise<string[]> }> {
  const at = Date.now();
  const [p] = (await ws.db.knex('products').insert({ code: `M-${prefix}`, name: '复方盐酸伪麻黄碱缓释胶囊', generic_name: '复方盐酸伪麻黄碱缓释胶囊', approval_no: approvalNo, created_at: at, updated_at: at, ephedrine: true }).returning('id')) as Array<{ id: number }>;
  await ws.db.knex('product_codes').insert({ product_id: Number(p!.id), level: 1, kind: 'prefix', value: prefix, status: 'active', proposed_at: at, decided_at: at });
  return {
    productId: Number(p!.id),
    codes: async () => {
      const codes = [prefix + String(serial++).padStart(13, '0')];
      await ws.db.knex('code_states').insert(codes.map((c) => ({ unit_id: ws.session.unitId, code: c, state: 'in_stock', level: 1, batch: 'GM2026', expiry: '2028-12-31', movement_id: 0, updated_at: Date.now() })));
      return codes;
    },
  };
}

async function sell(ws: TestWorkstation, codes: string[]): Promise<SaleView> {
  const s = await json<SaleView>(ws, 'POST', '/api/retail/sales', {});
  for (const c of codes) await json(ws, 'POST', `/api/retail/sales/${s.id}/codes`, { code: c });
  await json(ws, 'PUT', `/api/retail/sales/${s.id}/buyer`, { name: '王五', idNumber: VALID_ID });
  return json<SaleView>(ws, 'POST', `/api/retail/sales/${s.id}/complete`, {});
}

const monitor = (ws: TestWorkstation) => json<GansuMonitorView>(ws, 'GET', '/api/retail/gansu/uploads');

// The upload monitor's Gansu section (issue 7 §6): what each call and token fetch did, today's rows,
// the refused rows with the platform's words, and fix-and-resend — against the built-in sandbox.
describe('Gansu monitor against the embedded sandbox', () => {
  let ws: TestWorkstation;
  let socket: ClientSocket;
  const statuses: UploadSummaryView[] = [];

  beforeAll(async () => {
    ws = await startTestWorkstation();
    socket = connect(ws.url, { transports: ['websocket'], forceNew: true, extraHeaders: { cookie: ws.session.cookie } });
    socket.on('upload.status', (s) => statuses.push(s));
    await new Promise((resolve) => socket.emit('uploads.watch', {}, resolve));
  });
  afterAll(async () => {
    socket?.close();
    await ws?.stop();
  });

  it('shows the call, its token, the day’s rows; a locally refused row is fixed in master data and resent', async () => {
    const good = await ycProduct(ws, '8500001', '国药准字H20003456');
    const sale = await sell(ws, await good.codes());
    const first = await waitFor(async () => {
      const m = await monitor(ws);
      return m.rows.acceptedToday === 1 ? m : undefined;
    }, 15_000);
    expect(first).toMatchObject({ platform: { mode: 'sandbox' }, account: { loginId: '91350100M000100Y43' }, rows: { waiting: 0, unknown: 0, queuedToday: 1, acceptedToday: 1, rejectedToday: 0, rejectedOpen: 0 }, refused: [] });
    expect(first.calls[0]).toMatchObject({ rows: 1, outcome: 'accepted', code: 200, message: '请求成功', accepted: 1, rejected: 0 });
    expect(first.calls[0]!.roundTripMs).toEqual(expect.any(Number));
    expect(first.tokens).toMatchObject({ today: 1, failedToday: 0, recent: [{ outcome: 'accepted', code: 200, message: null }] });
    expect(JSON.stringify(first)).not.toContain((await ws.db.knex('upload_batches').whereNotNull('token').first('token'))!.token);
    // The page is told live: a settled Gansu call refreshes the monitor room.
    await waitFor(() => statuses.length > 0 || undefined);

    // A drug without its approval number: the workstation refuses to send the row and says why.
    const bad = await ycProduct(ws, '8500002', null);
    const badSale = await sell(ws, await bad.codes());
    const refused = await waitFor(async () => {
      const m = await monitor(ws);
      return m.refused.length === 1 ? m : undefined;
    }, 15_000);
    expect(refused.rows).toMatchObject({ rejectedToday: 1, rejectedOpen: 1 });
    const row = refused.refused[0]!;
    expect(row).toMatchObject({ saleId: badSale.id, saleNumber: badSale.number, productName: '复方盐酸伪麻黄碱缓释胶囊', by: 'local', code: null, platformMessage: null });
    expect(row.problems.join()).toContain('批准文号');

    // After the fix in master data the rebuilt row is accepted; a second resend finds nothing to do.
    await ws.db.knex('products').where({ id: bad.productId }).update({ approval_no: '国药准字H20009999' });
    const resent = await json<{ recordId: number; changed: string[] }>(ws, 'POST', `/api/retail/gansu/uploads/${row.recordId}/resend`, { reason: '补录批准文号' });
    expect(resent).toEqual({ recordId: row.recordId, changed: ['approvalNo'] });
    const again = await ws.api(`/api/retail/gansu/uploads/${row.recordId}/resend`, { method: 'POST', body: '{}' });
    expect(again.status).toBe(409); // queued already: nothing to resend
    const fixed = await waitFor(async () => {
      const m = await monitor(ws);
      return m.rows.acceptedToday === 2 ? m : undefined;
    }, 15_000);
    expect(fixed.refused).toEqual([]);
    expect(fixed.rows.rejectedOpen).toBe(0);
    const stored = ws.gansu.sandbox!.rows().map((s) => s.row);
    expect(stored.find((r) => r.approvalNo === '国药准字H20009999')).toMatchObject({ quantity: 1, purchaserName: '王五' });
    const events = (await ws.db.knex('upload_events').where({ record_id: row.recordId }).orderBy('id').pluck('event')) as string[];
    expect(events).toEqual(expect.arrayContaining(['refused-locally', 'retried', 'accepted']));
    expect(sale.status).toBe('completed');
  });

  it('needs the upload business and a real record', async () => {
    expect((await ws.api('/api/retail/gansu/uploads/999999/resend', { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await ws.api('/api/retail/gansu/uploads/abc/resend', { method: 'POST', body: '{}' })).status).toBe(400);
    expect((await fetch(`${ws.url}/api/retail/gansu/uploads`)).status).toBe(401);
  });
});

/**
 * A platform that answers the way the guide's own example does: getToken gives a token, and
 * saveSaleData refuses with 454 "参数检验失败" naming the row — until told to accept.
 */
async function guidePlatform(): Promise<{ url: string; publicKey: string; bodies: unknown[]; accept(): void; close(): Promise<void> }> {
  const { publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  let accepting = false;
  let tokens = 0;
  const bodies: unknown[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.url?.startsWith('/token/getToken')) return res.end(JSON.stringify({ code: 200, msg: 'ok', data: `tok-${++tokens}` }));
      bodies.push(JSON.parse(body));
      if (accepting) return res.end(JSON.stringify({ code: 200, msg: '请求成功' }));
      res.end(JSON.stringify({ code: 454, msg: '参数检验失败', data: '第1行：批准文号与药品名称不符，第1行：药品名称不规范' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    publicKey,
    bodies,
    accept: () => (accepting = true),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('Gansu monitor: a row the platform refused with 454', () => {
  let ws: TestWorkstation;
  let platform: Awaited<ReturnType<typeof guidePlatform>>;

  beforeAll(async () => {
    platform = await guidePlatform();
    ws = await startTestWorkstation({ env: { TRACEDOCK_GANSU_URL: platform.url, TRACEDOCK_GANSU_LOGIN_ID: 'lz-store-01', TRACEDOCK_GANSU_PASSWORD: 'secret-pw', TRACEDOCK_GANSU_PUBLIC_KEY: platform.publicKey, TRACEDOCK_GANSU_APP_KEY: 'appkey-01' } });
  });
  afterAll(async () => {
    await ws?.stop();
    await platform?.close();
  });

  it('names the platform’s code, msg and the row’s problems; resend after the fix is accepted', async () => {
    const p = await ycProduct(ws, '8600001', '国药准字H20003456');
    const sale = await sell(ws, await p.codes());
    const m = await waitFor(async () => {
      const v = await monitor(ws);
      return v.refused.length === 1 ? v : undefined;
    }, 15_000);
    expect(m).toMatchObject({ platform: { mode: 'configured', url: platform.url }, account: { loginId: 'lz-store-01' } });
    expect(m.calls[0]).toMatchObject({ rows: 1, outcome: 'partial', code: 454, accepted: 0, rejected: 1 });
    expect(m.calls[0]!.message).toContain('参数检验失败');
    expect(m.refused[0]).toMatchObject({ saleId: sale.id, saleNumber: sale.number, by: 'platform', code: 454, problems: ['批准文号与药品名称不符', '药品名称不规范'] });
    expect(m.refused[0]!.platformMessage).toContain('参数检验失败');
    expect(m.tokens.recent[0]).toMatchObject({ outcome: 'accepted', code: 200 });
    expect(JSON.stringify(m)).not.toMatch(/secret-pw|appkey-01|tok-\d/);

    platform.accept();
    await ws.db.knex('products').where({ id: p.productId }).update({ generic_name: '复方盐酸伪麻黄碱缓释胶囊（新康泰克）' });
    await json(ws, 'POST', `/api/retail/gansu/uploads/${m.refused[0]!.recordId}/resend`, {});
    const done = await waitFor(async () => {
      const v = await monitor(ws);
      return v.rows.acceptedToday === 1 ? v : undefined;
    }, 15_000);
    expect(done.refused).toEqual([]);
    expect(done.calls[0]).toMatchObject({ outcome: 'accepted', code: 200, accepted: 1 });
    expect(platform.bodies.at(-1)).toMatchObject([{ drugName: '复方盐酸伪麻黄碱缓释胶囊（新康泰克）', purchaserName: '王五' }]);
  });
});
