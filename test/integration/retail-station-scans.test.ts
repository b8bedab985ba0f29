import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack } from '../../server/contract/errors.js';
import type { SaleListView, SaleView, StationSaleView } from '../../server/contract/retail.js';
import type { ScanView } from '../../server/contract/views.js';
import { createPtyPair, type PtyPair } from '../../drivers/virtual/pty-pair.js';
import { json } from '../helpers/dock.js';
import { joinStation, type StationClient } from '../helpers/socket.js';
import { startTestWorkstation, tempDir, type TestWorkstation } from '../helpers/workstation.js';

const VALID_ID = '11010519491231002X';
const PREFIX = { yc: '8400001', otc: '8400002' } as const;
const EXEMPT_EAN = '6920000000012';
let serial = 1;
const code = (prefix: string) => prefix + String(serial++).padStart(13, '0');

// Issue 7 §1 with a hardware scanner: a serial scanner on a real pseudo-terminal, bound to a
// retail station, feeds that station's open sale through the scan journal — the same refusals as
// the counter's keyboard, recorded as the scan's reason; the counter's socket room sees each one.
describe('a scanner at a retail station', () => {
  let ws: TestWorkstation;
  let pty: PtyPair;
  let client: StationClient;
  let station: number;
  const scannerPath = path.join(tempDir('tracedock-retail-pty-'), 'scanner0');

  const stock = async (prefix: string, n: number): Promise<string[]> => {
    const codes = Array.from({ length: n }, () => code(prefix));
    await ws.db.knex('code_states').insert(codes.map((c) => ({ unit_id: ws.session.unitId, code: c, state: 'in_stock', level: 1, batch: 'PTY2026', expiry: '2028-12-31', movement_id: 0, updated_at: Date.now() })));
    return codes;
  };
  /** Writes one scan as the scanner would (CR suffix) and waits for its fact in the station's room. */
  const scan = async (text: string): Promise<ScanView> => {
    const before = new Set([...client.recorded, ...client.rejected].map((s) => s.id));
    await pty.write(`${text}\r`);
    return client.waitFor(() => [...client.recorded, ...client.rejected].find((s) => s.text === text && !before.has(s.id)));
  };
  const stationSale = async (id = station) => (await json<StationSaleView>(ws, 'GET', `/api/retail/stations/${id}/sale`)).sale;

  beforeAll(async () => {
    ws = await startTestWorkstation();
    const at = Date.now();
    const product = async (c: string, name: string, flags: Record<string, boolean>, kind: 'prefix' | 'gtin', value: string) => {
      const [p] = (await ws.db.knex('products').insert({ code: c, name, generic_name: name, approval_no: '国药准字H20003456', manufacturer: '兰州示范制药', created_at: at, updated_at: at, ...flags }).returning('id')) as Array<{ id: number }>;
      await ws.db.knex('product_codes').insert({ product_id: Number(p!.id), level: 1, kind, value, status: 'active', proposed_at: at, decided_at: at });
    };
    await product('S-YC', '复方盐酸伪麻黄碱缓释胶囊', { ephedrine: true }, 'prefix', PREFIX.yc);
    await product('S-OTC', '维生素C片', {}, 'prefix', PREFIX.otc);
    await product('S-EX', '医用棉签', { no_code_exempt: true }, 'gtin', EXEMPT_EAN.padStart(14, '0'));
    station = (await json<{ id: number }>(ws, 'POST', '/api/stations', { name: '零售柜台一', kind: 'retail' })).id;
    pty = await createPtyPair(scannerPath);
    const res = await ws.api('/api/scanners', { method: 'POST', body: JSON.stringify({ transport: 'serial', path: scannerPath, stationId: station, label: 'counter-1', options: { suffix: 'CR' } }) });
    expect(res.status).toBe(201);
    // The counter screen joins the station: hardware scans carry its operator from now on.
    client = await joinStation(ws.url, station, ws.session.cookie);
  });

  afterAll(async () => {
    client?.close();
    await pty?.close();
    await ws?.stop();
  });

  it('the first pack opens the station’s sale, the next ones join it; a second beep is a duplicate', async () => {
    const [a, b] = await stock(PREFIX.yc, 2);
    expect(await stationSale()).toBeNull();

    expect(await scan(a!)).toMatchObject({ decision: 'accepted', source: 'serial', code: a });
    const opened = await stationSale();
    expect(opened).toMatchObject({ status: 'open', stationId: station, lines: [{ code: a, productName: '复方盐酸伪麻黄碱缓释胶囊', categories: ['YC'], batch: 'PTY2026' }] });

    expect(await scan(b!)).toMatchObject({ decision: 'accepted' });
    const again = await scan(a!);
    expect(again).toMatchObject({ decision: 'duplicate', reasonCode: 'sale_already_on_sale' });
    expect(again.reason!['zh-CN']).toBe('这盒药已在本单中');
    const sale = (await stationSale())!;
    expect(sale.id).toBe(opened!.id);
    expect(sale.lines.map((l) => l.code)).toEqual([a, b]);

    // The pharmacist finishes it at the counter as usual: buyer, complete.
    await json(ws, 'PUT', `/api/retail/sales/${sale.id}/buyer`, { name: '张三丰', idNumber: VALID_ID });
    expect(await json<SaleView>(ws, 'POST', `/api/retail/sales/${sale.id}/complete`, {})).toMatchObject({ status: 'completed' });
    expect(await stationSale()).toBeNull();
  });

  it('refuses what the counter refuses, in the same words, and a refused pack opens no sale', async () => {
    const [sold] = await stock(PREFIX.yc, 1);
    const s = await json<SaleView>(ws, 'POST', '/api/retail/sales', {});
    await json(ws, 'POST', `/api/retail/sales/${s.id}/codes`, { code: sold });
    await json(ws, 'PUT', `/api/retail/sales/${s.id}/buyer`, { name: '李四', idNumber: VALID_ID });
    await json(ws, 'POST', `/api/retail/sales/${s.id}/complete`, {});

    const twice = await scan(sold!);
    expect(twice).toMatchObject({ decision: 'rejected', reasonCode: 'sale_sold_before', code: sold });
    expect(twice.reason!['zh-CN']).toContain(s.number);

    const neverReceived = code(PREFIX.otc);
    const notInStock = await scan(neverReceived);
    expect(notInStock).toMatchObject({ decision: 'rejected', reasonCode: 'sale_not_in_stock' });
    // The keyboard path says exactly the same.
    const probe = await json<SaleView>(ws, 'POST', '/api/retail/sales', {});
    const http = await ws.api(`/api/retail/sales/${probe.id}/codes`, { method: 'POST', body: JSON.stringify({ code: neverReceived }), headers: { 'accept-language': 'zh-CN' } });
    expect(http.status).toBe(409);
    const err = ((await http.json()) as { error: { code: string; messages: { 'zh-CN': string; en: string } } }).error;
    expect(err.code).toBe('SALE_CODE_REFUSED');
    expect(notInStock.reason).toEqual(err.messages);
    await json(ws, 'POST', `/api/retail/sales/${probe.id}/cancel`, { reason: '测试探针' });

    const unknown = await scan('8999999' + '0000000000001');
    expect(unknown).toMatchObject({ decision: 'rejected', reasonCode: 'sale_unknown_product' });
    // A commodity barcode stands for a pack only for a product exempt from trace codes.
    const [otc] = await stock(PREFIX.otc, 1);
    expect(await scan(otc!)).toMatchObject({ decision: 'accepted' });
    const onSale = (await stationSale())!;
    expect(onSale.lines.map((l) => l.code)).toEqual([otc]);

    // Nothing refused is on the sale; the journal keeps every scan with its reason.
    const rows = (await ws.db.knex('scan_events').where({ station_id: station }).orderBy('id').select('decision', 'reason_code')) as Array<{ decision: string; reason_code: string | null }>;
    expect(rows.map((r) => r.reason_code)).toEqual([null, null, 'sale_already_on_sale', 'sale_sold_before', 'sale_not_in_stock', 'sale_unknown_product', null]);
    await json(ws, 'POST', `/api/retail/sales/${onSale.id}/cancel`, { reason: '测试结束' });
  });

  it('socket scan.submit feeds the sale too (exempt commodity barcode), and undo takes the pack off again', async () => {
    const submit = (raw: string) => new Promise<Ack<ScanView>>((resolve) => client.socket.emit('scan.submit', { stationId: station, raw, source: 'manual' }, resolve));
    const first = await submit(EXEMPT_EAN);
    expect(first).toMatchObject({ ok: true, data: { decision: 'accepted', source: 'manual' } });
    await submit(EXEMPT_EAN);
    let sale = (await stationSale())!;
    expect(sale.lines).toMatchObject([{ code: EXEMPT_EAN, traceable: false, packs: 2, productName: '医用棉签' }]);

    const scanId = first.ok ? first.data.id! : 0;
    const undone = await new Promise<Ack<ScanView>>((resolve) => client.socket.emit('scan.undo', { stationId: station, scanId, reason: '多扫了一包' }, resolve));
    expect(undone).toMatchObject({ ok: true, data: { undone: { reason: '多扫了一包' } } });
    sale = (await stationSale())!;
    expect(sale.lines).toMatchObject([{ code: EXEMPT_EAN, packs: 1 }]);
    await json(ws, 'POST', `/api/retail/sales/${sale.id}/cancel`, { reason: '测试结束' });
  });

  it('open sales are listed page by page and resumed at the station, which then feeds the resumed one', async () => {
    const parked = await json<SaleView>(ws, 'POST', '/api/retail/sales', {});
    const [x] = await stock(PREFIX.otc, 1);
    await json(ws, 'POST', `/api/retail/sales/${parked.id}/codes`, { code: x });
    const here = await json<SaleView>(ws, 'POST', '/api/retail/sales', { stationId: station });
    expect(here.stationId).toBe(station);

    const page1 = await json<SaleListView>(ws, 'GET', '/api/retail/sales?status=open&limit=1');
    const page2 = await json<SaleListView>(ws, 'GET', '/api/retail/sales?status=open&limit=1&offset=1');
    expect(page1).toMatchObject({ total: 2, limit: 1, offset: 0, items: [{ id: here.id, stationId: station, stationName: '零售柜台一', lines: 0 }] });
    expect(page2.items).toMatchObject([{ id: parked.id, stationId: null, lines: 1, packs: 1, categories: [], createdBy: expect.any(String) }]);
    expect((await json<SaleListView>(ws, 'GET', `/api/retail/sales?status=open&stationId=${station}`)).items.map((s) => s.id)).toEqual([here.id]);
    expect((await ws.api('/api/retail/sales?status=bogus')).status).toBe(400);

    // Resuming the parked sale here parks the one the station had: one sale per counter.
    expect(await json<SaleView>(ws, 'POST', `/api/retail/sales/${parked.id}/resume`, { stationId: station })).toMatchObject({ id: parked.id, stationId: station });
    expect((await json<SaleView>(ws, 'GET', `/api/retail/sales/${here.id}`)).stationId).toBeNull();
    const [y] = await stock(PREFIX.otc, 1);
    expect(await scan(y!)).toMatchObject({ decision: 'accepted' });
    expect((await stationSale())!.lines.map((l) => l.code)).toEqual([x, y]);

    // A finished sale cannot be resumed; only a retail station takes a sale.
    const closed = (await json<SaleListView>(ws, 'GET', '/api/retail/sales?status=cancelled&limit=1')).items[0]!;
    const reopen = await ws.api(`/api/retail/sales/${closed.id}/resume`, { method: 'POST', body: JSON.stringify({ stationId: station }) });
    expect(reopen.status).toBe(409);
    expect(((await reopen.json()) as { error: { code: string } }).error.code).toBe('SALE_CLOSED');
    const dock = await json<{ id: number }>(ws, 'POST', '/api/stations', { name: '收货台', kind: 'receiving' });
    const wrong = await ws.api(`/api/retail/sales/${here.id}/resume`, { method: 'POST', body: JSON.stringify({ stationId: dock.id }) });
    expect(wrong.status).toBe(409);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('SALE_STATION_NOT_RETAIL');
  });
});
