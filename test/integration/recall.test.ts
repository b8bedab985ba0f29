import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecallRowView, RecallView } from '../../server/contract/recall.js';
import type { SaleView } from '../../server/contract/retail.js';
import { RecallService } from '../../server/services/recall/index.js';
import { dockStation, json, openDocument, PREFIX, seedCase, seedDock, seedLooseUnit, traceCode, type CaseTree, type DockFixture } from '../helpers/dock.js';
import { DIALECTS, startMasterDataWorkstation, uscc } from '../helpers/master-data.js';
import type { TestWorkstation } from '../helpers/workstation.js';
import type { ScanView } from '../../server/contract/views.js';

/**
 * Recall report (issue 8 acceptance): data made by the real flows — two suppliers, a case broken
 * at the aggregation station and by split shipments, two customers, a retail sale, a lock, a
 * return in, a return to the supplier, a receipt still open — then the report's summary, call list
 * and rows are checked against counts written here in plain SQL, and the XLSX holds every unit once.
 */
const BATCH = 'B2026';

describe.each(DIALECTS)('recall report on %s', (dialect) => {
  let ws: TestWorkstation;
  let fx: DockFixture;
  let supplierB: number;
  let customerB: number;
  const cases: Record<'c1' | 'c2' | 'c3' | 'c5' | 'other', CaseTree> = {} as never;
  let loose: string[];

  const done = (id: number) => json(ws, 'POST', `/api/documents/${id}/complete`, {});
  const scanAll = async (station: number, codes: string[]) => {
    for (const c of codes) expect(await ws.postScan(station, c)).toMatchObject({ decision: 'accepted' });
  };
  const recall = (query: string) => json<RecallView>(ws, 'GET', `/api/recall?productId=${fx.productId}&batch=${BATCH}${query}`);
  const sql = async <T>(text: string, bindings: unknown[]): Promise<T[]> => {
    const r = (await ws.db.knex.raw(text, bindings as never)) as unknown;
    return (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];
  };

  beforeAll(async () => {
    // The same statements must hold on the embedded SQLite and on a shared PostgreSQL.
    const base = await startMasterDataWorkstation(dialect);
    const postScan = (stationId: number, raw: string) => json<ScanView>(ws, 'POST', `/api/stations/${stationId}/scans`, { raw });
    ws = Object.assign(base, { postScan }) as unknown as TestWorkstation;
    fx = await seedDock(ws.db.knex, ws.session.unitId);
    const cp = async (name: string, n: number, type: string) => (await json<{ id: number }>(ws, 'POST', '/api/counterparties', { name, uscc: uscc(n), type })).id;
    supplierB = await cp('国药控股甘肃有限公司', 11, 'wholesaler');
    customerB = await cp('兰州大学第二医院', 12, 'hospital');
    for (const k of ['c1', 'c2', 'c3', 'c5'] as const) cases[k] = await seedCase(ws.db.knex);
    cases.other = await seedCase(ws.db.knex, { batch: 'B-OTHER' });
    loose = [await seedLooseUnit(ws.db.knex), await seedLooseUnit(ws.db.knex)];
    const receiving = (await dockStation(ws, '收货', 'receiving')).id;
    const dispatch = (await dockStation(ws, '发货', 'dispatch')).id;
    const aggregation = (await dockStation(ws, '装箱', 'aggregation')).id;
    const { c1, c2, c3, c5, other } = cases;

    // Two suppliers: A sends c1 and c2, B sends c3, two loose boxes and a case of another batch.
    const rkA = await openDocument(ws, { direction: 'in', number: 'RK-A1', type: '102', counterpartyId: fx.supplierId, stationId: receiving });
    await scanAll(receiving, [c1.case, c2.case]);
    await done(rkA.id);
    const rkB = await openDocument(ws, { direction: 'in', number: 'RK-B1', type: '102', counterpartyId: supplierB, stationId: receiving });
    await scanAll(receiving, [c3.case, ...loose, other.case]);
    await done(rkB.id);

    // 拆箱 at the aggregation station: one box of c1 leaves its middle pack.
    await json(ws, 'POST', `/api/stations/${aggregation}/context`, { mode: 'unpack' });
    expect(await ws.postScan(aggregation, c1.units[0]!)).toMatchObject({ decision: 'accepted', effect: { action: 'unpack' } });

    // Customer A gets all of c2 and the unpacked box; customer B two boxes split out of c3 (拆零) and a loose one.
    const ckA = await openDocument(ws, { direction: 'out', number: 'CK-A1', type: '201', counterpartyId: fx.customerId, stationId: dispatch });
    await scanAll(dispatch, [c2.case, c1.units[0]!]);
    await done(ckA.id);
    const ckB = await openDocument(ws, { direction: 'out', number: 'CK-B1', type: '201', counterpartyId: customerB, stationId: dispatch });
    await scanAll(dispatch, [c3.units[0]!, c3.units[1]!, loose[0]!]);
    await done(ckB.id);
    // One box being picked for customer B, not shipped yet; one returned to supplier B (退货出库 202).
    const th = await openDocument(ws, { direction: 'out', number: 'TH-B1', type: '202', counterpartyId: supplierB, stationId: dispatch });
    await scanAll(dispatch, [c3.units[5]!]);
    await done(th.id);
    await openDocument(ws, { direction: 'out', number: 'CK-B2', type: '201', counterpartyId: customerB, stationId: dispatch });
    await scanAll(dispatch, [c3.units[2]!]);

    // Customer A sends the unpacked box back (退货入库 103): in stock again, first received from A.
    const back = await openDocument(ws, { direction: 'in', number: 'RK-R1', type: '103', counterpartyId: fx.customerId, stationId: receiving });
    await scanAll(receiving, [c1.units[0]!]);
    await done(back.id);

    // Two boxes sold at the counter in one sale; one locked for the recall; c5 still being received.
    let sale = await json<SaleView>(ws, 'POST', '/api/retail/sales', {});
    for (const c of [c1.units[1]!, c1.units[2]!]) sale = await json<SaleView>(ws, 'POST', `/api/retail/sales/${sale.id}/codes`, { code: c });
    expect((await json<SaleView>(ws, 'POST', `/api/retail/sales/${sale.id}/complete`, {})).status).toBe('completed');
    await json(ws, 'POST', `/api/codes/${c1.units[3]}/lock`, { reason: '召回批次 B2026' });
    await openDocument(ws, { direction: 'in', number: 'RK-A2', type: '102', counterpartyId: fx.supplierId, stationId: receiving });
    await scanAll(receiving, [c5.case]);
  }, 120_000);
  afterAll(async () => ws?.stop());

  it('counts every unit of the batch per state, matching plain SQL and the story', async () => {
    const v = await recall('');
    // Independent count: every level-1 code of the batch at this unit, its state read off the
    // projection and the document it left with.
    const rows = await sql<{ status: string; n: number }>(
      `SELECT CASE WHEN cs.state = 'shipped' AND d.type = '202' THEN 'returned' ELSE cs.state END AS status, COUNT(*) AS n
       FROM code_states cs LEFT JOIN documents d ON d.id = cs.document_id
       WHERE cs.unit_id = ? AND cs.product_id = ? AND cs.batch = ? AND cs.level = 1 GROUP BY 1`,
      [ws.session.unitId, fx.productId, BATCH],
    );
    const bySql = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    const nonZero = Object.fromEntries(Object.entries(v.summary!.byStatus).filter(([, n]) => n > 0));
    expect(nonZero).toEqual(bySql);
    expect(nonZero).toEqual({ in_stock: 14, shipped: 13, sold: 2, locked: 1, picking: 1, returned: 1, receiving: 10 });
    expect(v.summary).toMatchObject({ units: 42, sales: 1, origins: { received: 32, made: 0, unknown: 10 }, customers: 3, suppliers: 2 });
    expect(v.total).toBe(42);
    expect(v.scope).toMatchObject({ kind: 'batch', batch: BATCH, product: { id: fx.productId, name: '阿莫西林胶囊' } });
  });

  it('lists who must be called, per counterparty and document, matching plain SQL', async () => {
    const v = await recall('&limit=1');
    const out = v.counterparties!.filter((l) => l.direction === 'out').map((l) => [l.counterparty.name, l.document.number, l.status, l.units]);
    const bySql = await sql<{ name: string; number: string; n: number }>(
      `SELECT c.name, d.number, COUNT(*) AS n FROM code_states cs JOIN documents d ON d.id = cs.document_id JOIN counterparties c ON c.id = d.counterparty_id
       WHERE cs.unit_id = ? AND cs.product_id = ? AND cs.batch = ? AND cs.level = 1 AND d.direction = 'out' GROUP BY c.name, d.number`,
      [ws.session.unitId, fx.productId, BATCH],
    );
    expect(out.map(([name, number, , n]) => [name, number, n]).sort()).toEqual(bySql.map((r) => [r.name, r.number, Number(r.n)]).sort());
    expect(out).toEqual(
      expect.arrayContaining([
        ['兰州市第一人民医院', 'CK-A1', 'shipped', 10],
        ['兰州大学第二医院', 'CK-B1', 'shipped', 3],
        ['兰州大学第二医院', 'CK-B2', 'picking', 1],
        ['国药控股甘肃有限公司', 'TH-B1', 'returned', 1],
      ]),
    );
    // Backward: units first received per supplier document, against the journal in plain SQL.
    const firstIn = await sql<{ number: string; n: number }>(
      `SELECT d.number, COUNT(*) AS n FROM (
         SELECT mc.code, MIN(m.id) AS mid FROM movement_codes mc JOIN movements m ON m.id = mc.movement_id JOIN documents d ON d.id = m.document_id
         WHERE m.kind = 'complete' AND d.direction = 'in' AND m.unit_id = ? GROUP BY mc.code) f
       JOIN movements m ON m.id = f.mid JOIN documents d ON d.id = m.document_id
       JOIN code_states cs ON cs.unit_id = ? AND cs.code = f.code
       WHERE cs.product_id = ? AND cs.batch = ? AND cs.level = 1 GROUP BY d.number`,
      [ws.session.unitId, ws.session.unitId, fx.productId, BATCH],
    );
    const inLines = v.counterparties!.filter((l) => l.direction === 'in' && l.status === null).map((l) => [l.document.number, l.units]);
    expect(inLines.sort()).toEqual(firstIn.map((r) => [r.number, Number(r.n)]).sort());
    expect(inLines.sort()).toEqual([['RK-A1', 20], ['RK-B1', 12]]);
    expect(v.counterparties!.find((l) => l.status === 'receiving')).toMatchObject({ direction: 'in', document: { number: 'RK-A2', status: 'open' }, units: 10, at: null });
  });

  it('each row says where the unit is and how it got there', async () => {
    const all = new Map<string, RecallRowView>();
    for (let offset = 0; ; offset += 10) {
      const page = await recall(`&limit=10&offset=${offset}&rowsOnly=true`);
      expect(page.summary).toBeNull();
      page.rows.forEach((r) => all.set(r.code, r));
      if (page.rows.length < 10) break;
    }
    expect(all.size).toBe(42);
    const { c1, c2, c3 } = cases;
    expect(all.get(c2.units[4]!)).toMatchObject({
      status: 'shipped',
      document: { number: 'CK-A1', direction: 'out', status: 'completed' },
      counterparty: { id: fx.customerId, name: '兰州市第一人民医院' },
      parent: c2.middles[2],
      outerCase: c2.case,
      origin: { kind: 'received', document: { number: 'RK-A1' }, counterparty: { id: fx.supplierId } },
      lastReceipt: null,
    });
    // Split out of c3 on shipping: loose now, the case no longer around it.
    expect(all.get(c3.units[0]!)).toMatchObject({ status: 'shipped', parent: null, outerCase: null, counterparty: { id: customerB }, origin: { document: { number: 'RK-B1' } } });
    // Unpacked, shipped to A, returned by A: in stock, first from supplier A, last from customer A.
    expect(all.get(c1.units[0]!)).toMatchObject({ status: 'in_stock', parent: null, origin: { counterparty: { id: fx.supplierId } }, lastReceipt: { document: { number: 'RK-R1' }, counterparty: { id: fx.customerId } } });
    const sold = all.get(c1.units[1]!)!;
    expect(sold).toMatchObject({ status: 'sold', document: null, sale: { number: expect.stringMatching(/^LS\d{8}-\d{6}$/) } });
    expect(all.get(c1.units[2]!)!.sale!.number).toBe(sold.sale!.number);
    expect(all.get(c1.units[3]!)).toMatchObject({ status: 'locked', reason: '召回批次 B2026', parent: c1.middles[1], outerCase: c1.case });
    expect(all.get(c1.units[9]!)).toMatchObject({ status: 'in_stock', parent: c1.middles[4], outerCase: c1.case });
    expect(all.get(c3.units[5]!)).toMatchObject({ status: 'returned', document: { number: 'TH-B1', type: '202' }, counterparty: { id: supplierB } });
    expect(all.get(cases.c5.units[0]!)).toMatchObject({ status: 'receiving', document: { number: 'RK-A2', status: 'open' }, origin: { kind: 'unknown' } });
    expect([...all.values()].every((r) => r.batch === BATCH && r.product?.id === fx.productId)).toBe(true);
  });

  it('sorts by state, counterparty and time; NULLs last either way', async () => {
    const rank = ['in_stock', 'locked', 'receiving', 'picking', 'shipped', 'sold', 'returned', 'scrapped', 'not_received', 'not_found'];
    const byStatus = (await recall('&sort=status&limit=500')).rows.map((r) => rank.indexOf(r.status));
    expect(byStatus).toEqual([...byStatus].sort((a, b) => a - b));
    const desc = (await recall('&sort=status&dir=desc&limit=500')).rows.map((r) => rank.indexOf(r.status));
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    for (const dir of ['asc', 'desc']) {
      const names = (await recall(`&sort=counterparty&dir=${dir}&limit=500`)).rows.map((r) => (r.document?.direction === 'out' || r.status === 'receiving' ? r.counterparty!.name : null));
      const firstNull = names.indexOf(null);
      expect(firstNull).toBeGreaterThan(0);
      expect(names.slice(firstNull).every((n) => n === null)).toBe(true);
      const named = names.slice(0, firstNull) as string[];
      const sorted = [...named].sort();
      expect(named).toEqual(dir === 'asc' ? sorted : sorted.reverse());
    }
    const since = (await recall('&sort=since&dir=desc&limit=500')).rows.map((r) => r.since!);
    expect(since).toEqual([...since].sort((a, b) => b - a));
    const codes = (await recall('&sort=code&dir=desc&limit=5')).rows.map((r) => r.code);
    expect(codes).toEqual([...codes].sort().reverse());
  });

  it('a list of codes: a case stands for every unit ever in it; unknown and unreadable lines are named', async () => {
    const { c1, other } = cases;
    const hyphened = `${other.units[0]!.slice(0, 7)}-${other.units[0]!.slice(7)}`;
    const neverSeen = traceCode(PREFIX.unit);
    const codes = [c1.case, hyphened, '(01)09506000134352(21)SN9876', neverSeen, 'hello', '6901234567892', '', c1.units[0]!];
    const v = await json<RecallView>(ws, 'POST', '/api/recall', { codes });
    expect(v.scope).toMatchObject({ kind: 'codes', listed: 5, unreadableCount: 2 });
    if (v.scope.kind !== 'codes') throw new Error('scope');
    expect(v.scope.unreadable.map((u) => [u.line, u.text])).toEqual([[5, 'hello'], [6, '6901234567892']]);
    expect(v.summary!.units).toBe(13);
    expect(v.summary!.byStatus).toMatchObject({ in_stock: 8, sold: 2, locked: 1, not_found: 2 });
    const rows = new Map(v.rows.map((r) => [r.code, r]));
    // The box unpacked before shipping still counts for c1 (its pack event names the middle pack).
    expect(rows.get(c1.units[0]!)).toMatchObject({ status: 'in_stock' });
    expect(rows.get(other.units[0]!)).toMatchObject({ status: 'in_stock', batch: 'B-OTHER' });
    expect(rows.get('010950600013435221SN9876')).toMatchObject({ status: 'not_found', origin: { kind: 'unknown' } });
    expect(rows.get(neverSeen)).toMatchObject({ status: 'not_found' });

    // The same list as text, one per line (how the page sends up to 100 000 codes), with paging in the query.
    const res = await ws.api('/api/recall?limit=3&sort=status', { method: 'POST', body: codes.join('\r\n'), headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(200);
    const asText = (await res.json()) as RecallView;
    expect(asText.total).toBe(13);
    expect(asText.rows.map((r) => r.status)).toEqual(['in_stock', 'in_stock', 'in_stock']);
  });

  it('refuses an empty scope, an unknown product and a missing batch with their codes', async () => {
    const err = async (res: Response) => [res.status, ((await res.json()) as { error: { code: string } }).error.code];
    expect(await err(await ws.api('/api/recall', { method: 'POST', body: JSON.stringify({ codes: [' ', ''] }) }))).toEqual([400, 'RECALL_SCOPE_REQUIRED']);
    expect(await err(await ws.api('/api/recall?productId=99999&batch=X'))).toEqual([404, 'PRODUCT_NOT_FOUND']);
    expect(await err(await ws.api(`/api/recall?productId=${fx.productId}`))).toEqual([400, 'VALIDATION_FAILED']);
    expect(await err(await ws.api(`/api/recall?productId=${fx.productId}&batch=${BATCH}&sort=evil`))).toEqual([400, 'VALIDATION_FAILED']);
    const tooMany = Array.from({ length: 100_001 }, (_, i) => PREFIX.unit + String(9_000_000_000_000 + i)).join('\n');
    expect(await err(await ws.api('/api/recall', { method: 'POST', body: tooMany, headers: { 'content-type': 'text/plain' } }))).toEqual([413, 'RECALL_TOO_MANY_CODES']);
  });

  it('offers the product’s batches with their unit counts', async () => {
    expect(await json(ws, 'GET', `/api/recall/batches?productId=${fx.productId}`)).toEqual([
      { batch: 'B2026', units: 42 },
      { batch: 'B-OTHER', units: 10 },
    ]);
  });

  it('the XLSX (streamed) holds every unit once, the summary and the call list', async () => {
    const res = await ws.api(`/api/recall.xlsx?productId=${fx.productId}&batch=${BATCH}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(res.headers.get('content-disposition')).toContain(`recall-P-AMOX-${BATCH}-`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    expect(wb.worksheets.map((s) => s.name)).toEqual(['汇总 Summary', '明细 Units', '往来单位 Counterparties']);
    const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
    const units = wb.getWorksheet('明细 Units')!;
    const codes: string[] = [];
    const status = new Map<string, string>();
    units.eachRow((row, n) => {
      if (n === 1) return;
      codes.push(text(row.getCell(1).value));
      status.set(text(row.getCell(1).value), text(row.getCell(2).value));
    });
    const expected = (await sql<{ code: string }>(`SELECT code FROM code_states WHERE unit_id = ? AND product_id = ? AND batch = ? AND level = 1`, [ws.session.unitId, fx.productId, BATCH])).map((r) => r.code);
    expect(codes).toHaveLength(42);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort()).toEqual([...expected].sort());
    expect(status.get(cases.c1.units[3]!)).toBe('已锁定 Locked');
    const summary: string[][] = [];
    wb.getWorksheet('汇总 Summary')!.eachRow((row) => summary.push((row.values as unknown[]).slice(1).map(text)));
    expect(summary).toEqual(expect.arrayContaining([['已发出 Shipped', '13'], ['合计 Total', '42'], ['零售售出 Sold at retail', '2']]));
    const calls: string[][] = [];
    wb.getWorksheet('往来单位 Counterparties')!.eachRow((row, n) => n > 1 && calls.push((row.values as unknown[]).slice(1).map(text)));
    expect(calls.find((r) => r[3] === 'CK-A1')).toEqual(expect.arrayContaining(['兰州市第一人民医院', '已发出 Shipped', '10']));

    // A pasted list's file: POSTed like the screen's query.
    const listed = await ws.api('/api/recall.xlsx', { method: 'POST', body: JSON.stringify({ codes: [cases.c1.case, 'hello'] }) });
    expect(listed.status).toBe(200);
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(await listed.arrayBuffer());
    expect(wb2.getWorksheet('明细 Units')!.rowCount).toBe(11);
  });

  it('pages the file through many statements without losing or repeating a unit', async () => {
    const service = new RecallService(ws.db.knex);
    const resolved = await service.resolve(ws.session.unitId, { kind: 'batch', productId: fx.productId, batch: BATCH });
    const seen: string[] = [];
    for await (const page of service.units(resolved, 7)) seen.push(...page.map((r) => r.code));
    expect(seen).toHaveLength(42);
    expect(new Set(seen).size).toBe(42);
    expect(seen).toEqual([...seen].sort());
  });
});
