import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardView, ScanOutcomeCounts } from '../../server/contract/dashboard.js';
import type { ScanView } from '../../server/contract/views.js';
import { chinaDate, chinaDayStart, DAY_MS } from '../../server/domain/china-time.js';
import { builtInNhsaProfile } from '../../server/platforms/nhsa/profile.js';
import type { NhsaProfile } from '../../server/platforms/nhsa/profile.schema.js';
import { startNhsaSandbox, type NhsaSandbox } from '../../server/platforms/sandbox/nhsa/index.js';
import { dockStation, documentDetail, json, openDocument, PREFIX, seedCase, seedDock, seedLooseUnit, traceCode, type DockFixture } from '../helpers/dock.js';
import { uploadsWhen } from '../helpers/uploads.js';
import { startTestWorkstation, type TestWorkstation } from '../helpers/workstation.js';

/**
 * The supervisor's dashboard (issue 8 §5) on data made by the real flows — documents opened,
 * codes scanned at receiving and dispatch stations, an undo, a cancel, completions short and over,
 * uploads drained against a strict NHSA sandbox — each figure checked against a plain SQL count
 * written here, and the over/short figures against each document's own reconciliation.
 */

const ACCOUNT = { ak: 'dash-ak', sk: 'dash-sk', uscc: '91350100M000100Y43', name: '兰州示范医药有限公司' };
const HOUR = 3_600_000;

/** The platform insists on a batch for every circulation item: a unit without one comes back refused. */
function batchRequiredProfile(): NhsaProfile {
  const profile = structuredClone(builtInNhsaProfile());
  profile.operations.circulation.item.find((f) => f.name === 'manu_lotnum')!.required = true;
  return profile;
}

let sandbox: NhsaSandbox;
let ws: TestWorkstation;
let fx: DockFixture;
const docs: Record<string, number> = {};
const today = chinaDate(Date.now());
const yesterday = chinaDate(chinaDayStart(today) - 1);

const one = async <T>(sql: string, bindings: unknown[]): Promise<T> => ((await ws.db.knex.raw(sql, bindings as never[])) as T[])[0]!;
const all = async <T>(sql: string, bindings: unknown[]): Promise<T[]> => (await ws.db.knex.raw(sql, bindings as never[])) as T[];
const dashboard = (date?: string) => json<DashboardView>(ws, 'GET', `/api/dashboard${date ? `?date=${date}` : ''}`);
const scan = (stationId: number, raw: string) => ws.postScan(stationId, raw);

/** A scan through the scan service with a chosen arrival time (the hardware path; no dock rules at a query desk). */
function scanAt(stationId: number, text: string, receivedAt: number, actor: { operatorId: number; unitId: number } | null = { operatorId: ws.session.operatorId, unitId: ws.session.unitId }): Promise<ScanView> {
  return ws.services.scans.submit({ actor, stationId, deviceId: 'dash-test', source: 'virtual', bytes: Buffer.from(text), text, validUtf8: true, receivedAt });
}

beforeAll(async () => {
  sandbox = await startNhsaSandbox({ profile: batchRequiredProfile(), accounts: [ACCOUNT] });
  ws = await startTestWorkstation({ env: { TRACEDOCK_NHSA_URL: sandbox.url, TRACEDOCK_NHSA_AK: ACCOUNT.ak, TRACEDOCK_NHSA_SK: ACCOUNT.sk, TRACEDOCK_UPLOAD_GRACE_MS: '200' } });
  fx = await seedDock(ws.db.knex, ws.session.unitId);
  const rk = await dockStation(ws, '看板收货', 'receiving');
  const fh = await dockStation(ws, '看板发货', 'dispatch');
  const cx = await ws.createStation('看板查询');

  // IN-1: a case and a unit nobody recorded a batch for; a box of the case again (duplicate), a bad scan.
  const caseA = await seedCase(ws.db.knex);
  const noBatch = traceCode(PREFIX.unit);
  await ws.db.knex('packs').insert({ code: noBatch, level: 1, parent_code: null, batch: null, expiry: '2028-12-31', source: 'import', updated_at: Date.now() });
  docs.in1 = (await openDocument(ws, { direction: 'in', number: 'DASH-IN-1', type: '102', counterpartyId: fx.supplierId, stationId: rk.id, expected: { codes: [caseA.case, noBatch] } })).id;
  expect(await scan(rk.id, caseA.case)).toMatchObject({ decision: 'accepted' });
  expect(await scan(rk.id, noBatch)).toMatchObject({ decision: 'accepted' });
  expect(await scan(rk.id, caseA.units[3]!)).toMatchObject({ decision: 'duplicate' });
  expect(await scan(rk.id, '12345')).toMatchObject({ decision: 'rejected' });
  await json(ws, 'POST', `/api/documents/${docs.in1}/complete`, {});
  // Drained against the sandbox: the unit without a batch is refused, everything else accepted.
  await uploadsWhen(ws, (s) => s.totals.rejected === 1 && s.totals.pending + s.totals.sending + s.totals.unknown === 0);
  await ws.uploads.worker.stop();

  // IN-2: a product line of 4, a whole case of 10 received → 6 over; completed (waits to upload).
  const caseB = await seedCase(ws.db.knex);
  docs.in2 = (await openDocument(ws, { direction: 'in', number: 'DASH-IN-2', type: '102', counterpartyId: fx.supplierId, stationId: rk.id, expected: { lines: [{ productId: fx.productId, quantity: 4 }] } })).id;
  expect(await scan(rk.id, caseB.case)).toMatchObject({ decision: 'accepted' });
  await json(ws, 'POST', `/api/documents/${docs.in2}/complete`, {});

  // IN-3: a case expected, one middle pack of it received, completed short (8 missing).
  const caseC = await seedCase(ws.db.knex);
  docs.in3 = (await openDocument(ws, { direction: 'in', number: 'DASH-IN-3', type: '102', counterpartyId: fx.supplierId, stationId: rk.id, expected: { codes: [caseC.case] } })).id;
  expect(await scan(rk.id, caseC.middles[0]!)).toMatchObject({ decision: 'accepted' });
  await json(ws, 'POST', `/api/documents/${docs.in3}/complete`, { acceptShort: true });

  // IN-4: stays open; one unit scanned and taken back, another kept.
  const caseD = await seedCase(ws.db.knex);
  docs.in4 = (await openDocument(ws, { direction: 'in', number: 'DASH-IN-4', type: '102', counterpartyId: fx.supplierId, stationId: rk.id, expected: { codes: [caseD.case] } })).id;
  const wrong = await scan(rk.id, caseD.units[0]!);
  await json(ws, 'POST', `/api/scans/${wrong.id}/undo`, { reason: '扫错了' });
  expect(await scan(rk.id, caseD.units[1]!)).toMatchObject({ decision: 'accepted' });

  // IN-5: one loose unit, then cancelled.
  docs.in5 = (await openDocument(ws, { direction: 'in', number: 'DASH-IN-5', type: '102', counterpartyId: fx.supplierId, stationId: rk.id })).id;
  expect(await scan(rk.id, await seedLooseUnit(ws.db.knex))).toMatchObject({ decision: 'accepted' });
  await json(ws, 'POST', `/api/documents/${docs.in5}/cancel`, { reason: '供应商撤回' });

  // OUT-1: case A shipped whole (plus a code never received, and the case again); completed.
  docs.out1 = (await openDocument(ws, { direction: 'out', number: 'DASH-OUT-1', type: '201', counterpartyId: fx.customerId, stationId: fh.id })).id;
  expect(await scan(fh.id, caseA.case)).toMatchObject({ decision: 'accepted' });
  expect(await scan(fh.id, traceCode(PREFIX.unit))).toMatchObject({ decision: 'rejected', reasonCode: 'not_received' });
  expect(await scan(fh.id, caseA.case)).toMatchObject({ decision: 'duplicate' });
  await json(ws, 'POST', `/api/documents/${docs.out1}/complete`, {});
  // OUT-2: two boxes out of case B, left open.
  docs.out2 = (await openDocument(ws, { direction: 'out', number: 'DASH-OUT-2', type: '201', counterpartyId: fx.customerId, stationId: fh.id })).id;
  expect(await scan(fh.id, caseB.units[0]!)).toMatchObject({ decision: 'accepted' });
  expect(await scan(fh.id, caseB.units[1]!)).toMatchObject({ decision: 'accepted' });

  // Yesterday at the query desk, at chosen hours; one a millisecond too early, one nobody signed for.
  const y0 = chinaDayStart(yesterday);
  const q = traceCode(PREFIX.otherUnit);
  await scanAt(cx.id, traceCode(PREFIX.otherUnit), y0 - 1);
  await scanAt(cx.id, q, y0);
  await scanAt(cx.id, q, y0 + 9 * HOUR + 5);
  await scanAt(cx.id, traceCode(PREFIX.otherUnit), y0 + 9 * HOUR + 59 * 60_000);
  await scanAt(cx.id, 'ABC', y0 + 14 * HOUR);
  await scanAt(cx.id, traceCode(PREFIX.otherUnit), y0 + DAY_MS - 1);
  await scanAt(cx.id, traceCode(PREFIX.otherUnit), y0 + 10 * HOUR, null);
}, 90_000);

afterAll(async () => {
  await ws?.stop();
  await sandbox?.close();
});

/** Plain SQL: scans of the unit per station, hour and outcome in one China day, bucketed here in JS. */
async function scansBySql(date: string): Promise<Map<number, ScanOutcomeCounts[]>> {
  const from = chinaDayStart(date);
  const rows = await all<{ station_id: number; received_at: number; decision: string; undone: number }>(
    `SELECT s.station_id, s.received_at, s.decision, (SELECT COUNT(*) FROM scan_undos u WHERE u.scan_id = s.id) AS undone
     FROM scan_events s WHERE s.unit_id = ? AND s.received_at BETWEEN ? AND ?`,
    [ws.session.unitId, from, from + DAY_MS - 1],
  );
  const out = new Map<number, ScanOutcomeCounts[]>();
  for (const r of rows) {
    const hours = out.get(r.station_id) ?? Array.from({ length: 24 }, () => ({ accepted: 0, duplicate: 0, rejected: 0, undone: 0 }));
    const outcome = r.undone > 0 ? 'undone' : (r.decision as keyof ScanOutcomeCounts);
    hours[Math.floor((Number(r.received_at) - from) / HOUR)]![outcome]++;
    out.set(r.station_id, hours);
  }
  return out;
}

describe('dashboard (issue 8 §5)', () => {
  it('counts documents per direction as plain SQL does', async () => {
    const d = await dashboard(today);
    const from = chinaDayStart(today);
    for (const dir of ['in', 'out'] as const) {
      const v = dir === 'in' ? d.receipts : d.dispatches;
      const sql = await one<Record<string, number>>(
        `SELECT
           (SELECT COUNT(*) FROM documents WHERE unit_id = ? AND direction = ? AND status = 'completed' AND completed_at BETWEEN ? AND ?) AS completed,
           (SELECT COUNT(*) FROM documents WHERE unit_id = ? AND direction = ? AND status = 'cancelled' AND completed_at BETWEEN ? AND ?) AS cancelled,
           (SELECT COUNT(*) FROM documents WHERE unit_id = ? AND direction = ? AND status = 'open') AS open,
           (SELECT COUNT(*) FROM documents WHERE unit_id = ? AND direction = ? AND created_at BETWEEN ? AND ?) AS created`,
        [...[ws.session.unitId, dir, from, from + DAY_MS - 1], ...[ws.session.unitId, dir, from, from + DAY_MS - 1], ws.session.unitId, dir, ...[ws.session.unitId, dir, from, from + DAY_MS - 1]],
      );
      expect({ completed: v.completed, cancelled: v.cancelled, open: v.open, created: v.created }).toEqual({ completed: sql.completed, cancelled: sql.cancelled, open: sql.open, created: sql.created });
    }
    // …and as the scenario says.
    expect(d.receipts).toMatchObject({ completed: 3, open: 1, cancelled: 1, created: 5 });
    expect(d.dispatches).toMatchObject({ completed: 1, open: 1, cancelled: 0, created: 2 });
    expect(d.today).toBe(true);
  });

  it('counts codes and units scanned and completed per direction as plain SQL does', async () => {
    const d = await dashboard(today);
    const from = chinaDayStart(today);
    for (const dir of ['in', 'out'] as const) {
      const v = dir === 'in' ? d.receipts : d.dispatches;
      // Straight over the journal (no index route): movements of the day, their documents' direction.
      const sql = await one<Record<string, number>>(
        `SELECT
           (SELECT COUNT(*) FROM movements m JOIN documents d ON d.id = m.document_id
             WHERE m.unit_id = ? AND d.direction = ? AND m.kind IN ('receive', 'pick') AND m.at BETWEEN ? AND ?
               AND m.id NOT IN (SELECT compensates FROM movements WHERE compensates IS NOT NULL)) AS codes,
           (SELECT COUNT(*) FROM movement_codes mc JOIN movements m ON m.id = mc.movement_id JOIN documents d ON d.id = m.document_id
             WHERE m.unit_id = ? AND d.direction = ? AND m.kind IN ('receive', 'pick') AND m.at BETWEEN ? AND ? AND IFNULL(mc.level, 1) = 1
               AND m.id NOT IN (SELECT compensates FROM movements WHERE compensates IS NOT NULL)) AS units,
           (SELECT COUNT(*) FROM movement_codes mc JOIN movements m ON m.id = mc.movement_id JOIN documents d ON d.id = m.document_id
             WHERE m.unit_id = ? AND d.direction = ? AND m.kind = 'complete' AND m.at BETWEEN ? AND ? AND IFNULL(mc.level, 1) = 1) AS completed`,
        [...[ws.session.unitId, dir, from, from + DAY_MS - 1], ...[ws.session.unitId, dir, from, from + DAY_MS - 1], ...[ws.session.unitId, dir, from, from + DAY_MS - 1]],
      );
      expect({ codes: v.scannedCodes, units: v.scannedUnits, completed: v.completedUnits }).toEqual(sql);
    }
    // Scenario: in — case A (10) + unit, case B (10), a middle (2), one unit on IN-4 (the undone one
    // not counted), the cancelled loose unit; out — case A (10), two units of case B.
    expect(d.receipts).toMatchObject({ scannedCodes: 6, scannedUnits: 25, completedUnits: 23 });
    expect(d.dispatches).toMatchObject({ scannedCodes: 3, scannedUnits: 12, completedUnits: 10 });
  });

  it('counts scans per station and China hour, with undone scans apart, as plain SQL does', async () => {
    for (const date of [today, yesterday]) {
      const d = await dashboard(date);
      const sql = await scansBySql(date);
      expect(new Set(d.scans.stations.map((s) => s.stationId))).toEqual(new Set(sql.keys()));
      for (const st of d.scans.stations) expect(st.hours, `${date} station ${st.name}`).toEqual(sql.get(st.stationId));
      const sum = (k: keyof ScanOutcomeCounts) => [...sql.values()].flat().reduce((n, h) => n + h[k], 0);
      expect(d.scans.totals).toEqual({ accepted: sum('accepted'), duplicate: sum('duplicate'), rejected: sum('rejected'), undone: sum('undone') });
    }
    // Yesterday's desk: hour 0, two in hour 9 (one a duplicate), a reject at 14, one at 23:59:59.999;
    // the scan a millisecond before midnight and the one nobody signed for are not the unit's day.
    const y = await dashboard(yesterday);
    expect(y.today).toBe(false);
    expect(y.scans.stations).toHaveLength(1);
    const hours = y.scans.stations[0]!.hours;
    expect(hours[0]).toEqual({ accepted: 1, duplicate: 0, rejected: 0, undone: 0 });
    expect(hours[9]).toEqual({ accepted: 1, duplicate: 1, rejected: 0, undone: 0 });
    expect(hours[14]).toEqual({ accepted: 0, duplicate: 0, rejected: 1, undone: 0 });
    expect(hours[23]).toEqual({ accepted: 1, duplicate: 0, rejected: 0, undone: 0 });
    expect(y.scans.totals).toEqual({ accepted: 3, duplicate: 1, rejected: 1, undone: 0 });
    expect(y.receipts).toMatchObject({ completed: 0, scannedUnits: 0 });
  });

  it('counts duplicates and rejects per reason as plain SQL does, with an example message', async () => {
    const d = await dashboard(today);
    const from = chinaDayStart(today);
    const sql = await all<{ decision: string; reason_code: string; n: number }>(
      `SELECT decision, reason_code, COUNT(*) AS n FROM scan_events WHERE unit_id = ? AND received_at BETWEEN ? AND ? AND decision <> 'accepted' GROUP BY decision, reason_code`,
      [ws.session.unitId, from, from + DAY_MS - 1],
    );
    const got = d.exceptions.reasons.map((r) => `${r.decision}/${r.reasonCode}=${r.count}`).sort();
    expect(got).toEqual(sql.map((r) => `${r.decision}/${r.reason_code}=${r.n}`).sort());
    expect(d.exceptions.duplicates).toBe(sql.filter((r) => r.decision === 'duplicate').reduce((n, r) => n + r.n, 0));
    expect(d.exceptions.rejected).toBe(sql.filter((r) => r.decision === 'rejected').reduce((n, r) => n + r.n, 0));
    expect(got).toEqual(expect.arrayContaining(['duplicate/received_with_case=1', 'duplicate/duplicate=1', 'rejected/not_received=1']));
    const notReceived = d.exceptions.reasons.find((r) => r.reasonCode === 'not_received')!;
    expect(notReceived.example?.['zh-CN']).toContain('从未在本单位收货入库');
    expect(notReceived.example?.en).toContain('never received');
  });

  it('names the documents completed short or holding more than expected, with the figures of their own page', async () => {
    const d = await dashboard(today);
    expect(d.exceptions.documents.map((x) => x.number).sort()).toEqual(['DASH-IN-2', 'DASH-IN-3']);
    expect(d.exceptions).toMatchObject({ shortDocuments: 1, overDocuments: 1 });
    for (const issue of d.exceptions.documents) {
      const r = (await documentDetail(ws, issue.documentId)).reconciliation;
      expect(issue, issue.number).toMatchObject({ expected: r.expected, received: r.received, missing: r.missing, unexpected: r.unexpected, over: r.lines.reduce((n, l) => n + l.over, 0) });
    }
    expect(d.exceptions.documents.find((x) => x.number === 'DASH-IN-2')).toMatchObject({ expected: 4, received: 10, over: 6, missing: 0, status: 'completed', counterpartyName: '华北制药股份有限公司' });
    expect(d.exceptions.documents.find((x) => x.number === 'DASH-IN-3')).toMatchObject({ expected: 10, received: 2, missing: 8, over: 0 });
    // The open document (1 of 10 so far) is work in progress, not an exception; its page agrees it is short.
    expect((await documentDetail(ws, docs.in4!)).reconciliation).toMatchObject({ expected: 10, received: 1, missing: 9 });
  });

  it('counts the upload backlog and refusals per platform and operation as plain SQL does', async () => {
    const d = await dashboard(today);
    const sql = await all<{ platform: string; operation: string; state: string; n: number }>(
      `SELECT platform, operation, state, COUNT(*) AS n FROM upload_records WHERE unit_id = ? GROUP BY platform, operation, state`,
      [ws.session.unitId],
    );
    const count = (platform: string, states: string[]) => sql.filter((r) => r.platform === platform && states.includes(r.state)).reduce((n, r) => n + r.n, 0);
    expect(d.uploads.map((p) => p.platform)).toEqual(['nhsa', 'gansu']);
    for (const p of d.uploads) {
      expect({ waiting: p.waiting, manual: p.manual, rejected: p.rejected }).toEqual({
        waiting: count(p.platform, ['pending', 'sending', 'unknown']),
        manual: count(p.platform, ['manual']),
        rejected: count(p.platform, ['rejected']),
      });
      for (const op of p.operations) expect(op.pending + op.sending + op.unknown).toBe(sql.filter((r) => r.platform === p.platform && r.operation === op.operation && ['pending', 'sending', 'unknown'].includes(r.state)).reduce((n, r) => n + r.n, 0));
    }
    const nhsa = d.uploads[0]!;
    // IN-2 (16 codes) and IN-3 (a middle and its 2 units) completed with the worker stopped; out-1 shipped 16.
    expect(nhsa).toMatchObject({ rejected: 1, rejectedToday: 1 });
    expect(nhsa.waiting).toBeGreaterThan(0);
    expect(nhsa.oldestWaitingAt).toBeLessThanOrEqual(d.at);
    expect(d.uploads[1]).toMatchObject({ waiting: 0, rejected: 0, operations: [] });
  });

  it('needs the query business, a real date and nothing else', async () => {
    const bad = async (q: string) => {
      const res = await ws.api(`/api/dashboard${q}`);
      return { status: res.status, code: ((await res.json()) as { error: { code: string } }).error.code };
    };
    expect(await bad('?date=2026-02-30')).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await bad('?date=today')).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await bad('?unit=2')).toEqual({ status: 400, code: 'VALIDATION_FAILED' });

    const worker = await json<{ id: number }>(ws, 'POST', '/api/operators', { username: 'kanban01', displayName: '收货员', password: 'Kan#ban2026x' });
    await json(ws, 'POST', '/api/bindings', { operatorId: worker.id, unitId: ws.session.unitId });
    await json(ws, 'POST', '/api/grants', { operatorId: worker.id, unitId: ws.session.unitId, business: 'receiving' });
    const login = async (password: string) => /td_session=[^;]+/.exec((await fetch(`${ws.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'kanban01', password }) })).headers.get('set-cookie') ?? '')![0];
    let cookie = await login('Kan#ban2026x');
    const as = (path: string, method = 'GET', body?: unknown) => fetch(ws.url + path, { method, headers: { 'content-type': 'application/json', cookie, 'accept-language': 'zh-CN' }, body: body === undefined ? undefined : JSON.stringify(body) });
    await as('/api/session/password', 'POST', { currentPassword: 'Kan#ban2026x', newPassword: 'Look!Board2026' });
    cookie = await login('Look!Board2026');
    await as('/api/session/unit', 'POST', { unitId: ws.session.unitId });
    const refused = await as('/api/dashboard');
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/查询/) });
    await json(ws, 'POST', '/api/grants', { operatorId: worker.id, unitId: ws.session.unitId, business: 'query' });
    const allowed = await as('/api/dashboard');
    expect(allowed.status).toBe(200);
    expect(((await allowed.json()) as DashboardView).receipts.completed).toBe(3);
  });
});
