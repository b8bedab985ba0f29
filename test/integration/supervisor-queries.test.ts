import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack } from '../../server/contract/errors.js';
import type { CodePageView, CodeRowView, ExportProgressView, ExportView } from '../../server/contract/queries.js';
import type { ClientSocket } from '../helpers/socket.js';
import { waitFor } from '../helpers/socket.js';
import { seedBigCase } from '../helpers/bulk-codes.js';
import { dockStation, json, openDocument, seedCase, seedDock, seedLooseUnit, type CaseTree, type DockFixture } from '../helpers/dock.js';
import { startTestWorkstation, type TestWorkstation } from '../helpers/workstation.js';

const codesOf = async (ws: TestWorkstation, sql: string, bindings: unknown[]): Promise<string[]> =>
  ((await ws.db.knex.raw(sql, bindings as never[])) as Array<{ code: string }>).map((r) => r.code).sort();

async function allPages(ws: TestWorkstation, qs: string): Promise<CodeRowView[]> {
  const rows: CodeRowView[] = [];
  for (let page = 1; ; page++) {
    const p = await json<CodePageView>(ws, 'GET', `/api/codes?${qs}&page=${page}&pageSize=500`);
    rows.push(...p.rows);
    if (rows.length >= p.total || p.rows.length === 0) return rows;
  }
}

async function finished(ws: TestWorkstation, id: number, ms = 120_000): Promise<ExportView> {
  return waitFor(async () => {
    const v = await json<ExportView>(ws, 'GET', `/api/exports/${id}`);
    return v.status === 'done' || v.status === 'failed' ? v : undefined;
  }, ms);
}

// Issue 8: queries over the unit's codes (paged, sorted, counted, streamed) and background exports,
// each answer checked against an independent count in plain SQL over the same database.
describe('supervisor queries and exports', () => {
  let ws: TestWorkstation;
  let fx: DockFixture;
  let unitId: number;
  let receiving: number;
  let small: CaseTree;
  let big: { case: string; units: number };

  beforeAll(async () => {
    ws = await startTestWorkstation({ exports: { progressEveryMs: 50, pageSize: 5000 } });
    unitId = ws.session.unitId;
    fx = await seedDock(ws.db.knex, unitId);
    receiving = (await dockStation(ws, '收货', 'receiving')).id;
    const dispatch = (await dockStation(ws, '发货', 'dispatch')).id;

    const a = await seedBigCase(ws.db.knex, { middles: 20, perMiddle: 50, start: 1_000_000, batch: 'Q-A' });
    small = await seedCase(ws.db.knex, { batch: 'Q-B' });
    const rk1 = await openDocument(ws, { direction: 'in', number: 'RK-Q1', type: '102', counterpartyId: fx.supplierId, stationId: receiving });
    expect(await ws.postScan(receiving, a.case)).toMatchObject({ decision: 'accepted' });
    expect(await ws.postScan(receiving, small.case)).toMatchObject({ decision: 'accepted' });
    await json(ws, 'POST', `/api/documents/${rk1.id}/complete`, {});
    const ck = await openDocument(ws, { direction: 'out', number: 'CK-Q1', type: '201', counterpartyId: fx.customerId, stationId: dispatch });
    for (const m of small.middles.slice(0, 2)) expect(await ws.postScan(dispatch, m)).toMatchObject({ decision: 'accepted' });
    await json(ws, 'POST', `/api/documents/${ck.id}/complete`, {});

    // 100 000 units in one case, received and left on an open document (no uploads to wait for).
    big = await seedBigCase(ws.db.knex, { middles: 100, perMiddle: 1000, start: 5_000_000, batch: 'Q-BIG' });
    await openDocument(ws, { direction: 'in', number: 'RK-Q2', type: '102', counterpartyId: fx.supplierId, stationId: receiving });
    expect(await ws.postScan(receiving, big.case)).toMatchObject({ decision: 'accepted', effect: { units: 100_000 } });
  }, 120_000);
  afterAll(async () => ws?.stop());

  it('a batch query matches a plain SQL count, whole and page by page, in the order asked', async () => {
    const want = await codesOf(ws, 'SELECT code FROM code_states WHERE unit_id = ? AND product_id = ? AND batch = ?', [unitId, fx.productId, 'Q-A']);
    expect(want).toHaveLength(1 + 20 + 1000);
    const first = await json<CodePageView>(ws, 'GET', `/api/codes?productId=${fx.productId}&batch=Q-A&pageSize=10`);
    expect(first.total).toBe(want.length);
    expect(first.rows).toHaveLength(10);
    const rows = await allPages(ws, `productId=${fx.productId}&batch=Q-A&sort=level&order=desc`);
    expect(rows.map((r) => r.code).sort()).toEqual(want);
    expect(new Set(rows.map((r) => r.code)).size).toBe(rows.length);
    const levels = rows.map((r) => r.level ?? 0);
    expect(levels).toEqual([...levels].sort((x, y) => y - x));
    expect(rows[0]).toMatchObject({ level: 3, product: { id: fx.productId, name: '阿莫西林胶囊' }, batch: 'Q-A', state: 'in_stock', document: { number: 'RK-Q1' } });
  });

  it('state, document, counterparty and scan-date queries match plain SQL', async () => {
    const check = async (qs: string, sql: string, bindings: unknown[]) => {
      const want = await codesOf(ws, sql, bindings);
      const got = await allPages(ws, qs);
      expect(got.map((r) => r.code).sort()).toEqual(want);
      return want.length;
    };
    expect(await check('state=shipped', `SELECT code FROM code_states WHERE unit_id = ? AND state = 'shipped'`, [unitId])).toBe(6);
    const viaDoc = `SELECT DISTINCT mc.code FROM movements m JOIN movement_codes mc ON mc.movement_id = m.id JOIN documents d ON d.id = m.document_id WHERE d.unit_id = ? AND d.number = ?`;
    expect(await check('document=CK-Q1', viaDoc, [unitId, 'CK-Q1'])).toBe(6);
    const viaParty = `SELECT DISTINCT mc.code FROM movements m JOIN movement_codes mc ON mc.movement_id = m.id JOIN documents d ON d.id = m.document_id WHERE d.unit_id = ? AND d.counterparty_id = ?`;
    expect(await check(`counterpartyId=${fx.customerId}&state=shipped,picking`, viaParty, [unitId, fx.customerId])).toBe(6);
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const n = await check(`scanFrom=${today}&scanTo=${today}&level=3`, `SELECT DISTINCT cs.code FROM code_states cs JOIN movement_codes mc ON mc.code = cs.code JOIN movements m ON m.id = mc.movement_id WHERE cs.unit_id = ? AND cs.level = 3`, [unitId]);
    expect(n).toBe(3);
    expect((await json<CodePageView>(ws, 'GET', `/api/codes?scanFrom=2020-01-01&scanTo=2020-01-02`)).total).toBe(0);
  });

  it('finds one code by trace code and several by a pasted list; bad input is a 400', async () => {
    const one = await json<CodePageView>(ws, 'GET', `/api/codes?code=${small.units[9]}`);
    expect(one.rows.map((r) => r.code)).toEqual([small.units[9]]);
    const list = await json<CodePageView>(ws, 'GET', `/api/codes?code=${encodeURIComponent(`${small.units[8]}\n${small.units[9]}, 81000019999999999999`)}`);
    expect(list.total).toBe(2);
    expect((await ws.api('/api/codes?gtin=06901234567892')).status).toBe(400);
    expect((await ws.api('/api/codes?state=lost')).status).toBe(400);
    expect((await ws.api('/api/codes?scanFrom=22-11-2026')).status).toBe(400);
  });

  it('streams every match as NDJSON a page at a time, each code once', async () => {
    const res = await ws.api(`/api/codes?batch=Q-BIG&format=ndjson&sort=code&order=desc`);
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await res.text()).trim().split('\n');
    const { n } = ((await ws.db.knex.raw(`SELECT COUNT(*) AS n FROM code_states WHERE unit_id = ? AND batch = 'Q-BIG'`, [unitId])) as Array<{ n: number }>)[0]!;
    expect(lines).toHaveLength(n);
    const codes = lines.map((l) => (JSON.parse(l) as CodeRowView).code);
    expect(new Set(codes).size).toBe(n);
    expect(codes).toEqual([...codes].sort().reverse());
  });

  it('exports 100 000 codes to XLSX in the background while scanning goes on, with progress over the socket', async () => {
    const socket: ClientSocket = io(ws.url, { transports: ['websocket'], forceNew: true, extraHeaders: { cookie: ws.session.cookie } });
    const progress: ExportProgressView[] = [];
    socket.on('export.progress', (p) => progress.push(p));
    const watched = await new Promise<Ack<ExportView[]>>((resolve) => socket.emit('exports.watch', {}, resolve));
    expect(watched.ok).toBe(true);

    const job = await json<ExportView>(ws, 'POST', '/api/exports', { query: { batch: 'Q-BIG', level: 1 }, format: 'xlsx' });
    expect(job).toMatchObject({ total: 100_000, format: 'xlsx' });
    // The dock keeps working while the file is written.
    const doc = await openDocument(ws, { direction: 'in', number: 'RK-Q3', type: '102', counterpartyId: fx.supplierId, stationId: receiving });
    let scannedWhileRunning = 0;
    for (let i = 0; i < 200; i++) {
      const scan = await ws.postScan(receiving, await seedLooseUnit(ws.db.knex));
      expect(scan.decision).toBe('accepted');
      const now = await json<ExportView>(ws, 'GET', `/api/exports/${job.id}`);
      if (now.status !== 'running' && now.status !== 'queued') break;
      scannedWhileRunning++;
    }
    expect(scannedWhileRunning).toBeGreaterThan(0);
    expect(doc.id).toBeGreaterThan(0);
    const done = await finished(ws, job.id);
    expect(done).toMatchObject({ status: 'done', done: 100_000, encrypted: false });

    await waitFor(() => progress.find((p) => p.id === job.id && p.status === 'done'), 5000);
    const mine = progress.filter((p) => p.id === job.id);
    expect(mine.some((p) => p.status === 'running' && p.done > 0 && p.done < 100_000)).toBe(true);
    const dones = mine.map((p) => p.done);
    expect(dones).toEqual([...dones].sort((x, y) => x - y));
    socket.close();

    const res = await ws.api(`/api/exports/${job.id}/file`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('.xlsx');
    const file = path.join(ws.dataDir, 'download.xlsx');
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const seen = new Set<string>();
    let rows = 0;
    let sheets = 0;
    for await (const sheet of new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: 'emit', sharedStrings: 'cache' })) {
      sheets++;
      if (sheets > 1) break;
      for await (const row of sheet) {
        if (row.number === 1) continue;
        rows++;
        seen.add(String(row.getCell(2).value));
      }
    }
    expect(rows).toBe(100_000);
    expect(seen.size).toBe(100_000);
    const want = await codesOf(ws, `SELECT code FROM code_states WHERE unit_id = ? AND batch = 'Q-BIG' AND level = 1`, [unitId]);
    expect([...seen].sort()).toEqual(want);
  }, 180_000);

  it('refuses an export over 100 000 codes or of nothing, leaving nothing behind', async () => {
    const before = (await ws.db.knex('exports').count({ n: '*' }))[0]!.n;
    const tooMany = await ws.api('/api/exports', { method: 'POST', body: JSON.stringify({ query: {}, format: 'csv' }) });
    expect(tooMany.status).toBe(422);
    expect(((await tooMany.json()) as { error: { code: string } }).error.code).toBe('EXPORT_TOO_LARGE');
    const empty = await ws.api('/api/exports', { method: 'POST', body: JSON.stringify({ query: { batch: 'NONE' }, format: 'csv' }) });
    expect(((await empty.json()) as { error: { code: string } }).error.code).toBe('EXPORT_EMPTY');
    expect((await ws.db.knex('exports').count({ n: '*' }))[0]!.n).toBe(before);
    const { orphans } = ((await ws.db.knex.raw('SELECT COUNT(*) AS orphans FROM export_codes WHERE export_id NOT IN (SELECT id FROM exports)')) as Array<{ orphans: number }>)[0]!;
    expect(orphans).toBe(0);
    expect((await ws.api('/api/exports', { method: 'POST', body: JSON.stringify({ query: {}, format: 'pdf' }) })).status).toBe(400);
  });

  it('a CSV export holds each code once with its nodes; it can be exported again, and expires', async () => {
    const job = await json<ExportView>(ws, 'POST', '/api/exports', { query: { batch: 'Q-B' }, format: 'csv' });
    const done = await finished(ws, job.id);
    expect(done.status).toBe('done');
    const text = await (await ws.api(`/api/exports/${job.id}/file`)).text();
    const lines = text.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toContain('追溯码 Code');
    const codes = lines.slice(1).map((l) => l.split(',')[1]!);
    expect(codes.sort()).toEqual(await codesOf(ws, `SELECT code FROM code_states WHERE unit_id = ? AND batch = 'Q-B'`, [unitId]));
    const shipped = lines.find((l) => l.includes(small.units[0]!))!;
    expect(shipped).toContain('RK-Q1');
    expect(shipped).toContain('CK-Q1');
    expect(shipped).toContain('兰州市第一人民医院');

    const again = await json<ExportView>(ws, 'POST', `/api/exports/${job.id}/rerun`, {});
    expect(again).toMatchObject({ sourceExportId: job.id, total: done.total, format: 'csv' });
    expect((await finished(ws, again.id)).status).toBe('done');

    const list = await json<ExportView[]>(ws, 'GET', '/api/exports');
    expect(list.map((e) => e.id)).toEqual(expect.arrayContaining([job.id, again.id]));

    // Past retention the file goes; the job stays listed as expired and a download says so.
    expect(await ws.exports.runner.sweep(Date.now() + 8 * 86_400_000)).toBeGreaterThanOrEqual(2);
    expect((await json<ExportView>(ws, 'GET', `/api/exports/${job.id}`)).status).toBe('expired');
    const gone = await ws.api(`/api/exports/${job.id}/file`);
    expect(gone.status).toBe(410);
    expect(fs.existsSync(path.join(ws.dataDir, 'exports', `export-${job.id}.csv`))).toBe(false);
  });
});
