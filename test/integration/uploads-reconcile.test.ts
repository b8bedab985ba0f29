import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReconcileResultView } from '../../server/contract/uploads.js';
import { dockStation, json, openDocument, seedCase, seedDock } from '../helpers/dock.js';
import { uploadsWhen } from '../helpers/uploads.js';
import { startTestWorkstation, type TestWorkstation } from '../helpers/workstation.js';

const chinaToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

// Daily reconciliation: what the workstation believes accepted is looked up on the platform;
// anything missing there is queued again and then uploaded.
describe('daily reconciliation', () => {
  let ws: TestWorkstation;
  beforeAll(async () => {
    ws = await startTestWorkstation({ env: { TRACEDOCK_UPLOAD_GRACE_MS: '100' } });
  });
  afterAll(async () => ws?.stop());

  it('finds what the platform lacks and queues it again', async () => {
    const fx = await seedDock(ws.db.knex, ws.session.unitId);
    const station = await dockStation(ws, '收货', 'receiving');
    const [a, b] = [await seedCase(ws.db.knex), await seedCase(ws.db.knex)];
    // Document A goes through the interface.
    const docA = await openDocument(ws, { direction: 'in', number: 'RK-REC-A', type: '102', counterpartyId: fx.supplierId, stationId: station.id });
    await ws.postScan(station.id, a.case);
    await json(ws, 'POST', `/api/documents/${docA.id}/complete`, {});
    await uploadsWhen(ws, (s) => s.totals.accepted === 16);
    // Document B is exported for the portal and confirmed — but never actually uploaded there.
    await ws.uploads.worker.stop();
    const docB = await openDocument(ws, { direction: 'in', number: 'RK-REC-B', type: '102', counterpartyId: fx.supplierId, stationId: station.id });
    await ws.postScan(station.id, b.case);
    await json(ws, 'POST', `/api/documents/${docB.id}/complete`, {});
    const exp = await json<{ batchId: number; count: number }>(ws, 'POST', '/api/uploads/manual-exports', { operation: 'circulation' });
    expect(exp.count).toBe(16);
    await json(ws, 'POST', `/api/uploads/manual-exports/${exp.batchId}/confirm`, {});
    expect((await uploadsWhen(ws, (s) => s.totals.accepted === 32)).totals.accepted).toBe(32);

    const r = await json<ReconcileResultView>(ws, 'POST', '/api/uploads/reconcile', { date: chinaToday() });
    expect(r).toMatchObject({ date: chinaToday(), checked: 32, found: 16 });
    expect(r.missing.map((m) => m.code).sort()).toEqual([b.case, ...b.middles, ...b.units].sort());
    const missingCodes = new Set(r.missing.map((m) => m.code));
    expect([...missingCodes].some((c) => [a.case, ...a.units].includes(c!))).toBe(false);

    await ws.uploads.worker.start();
    await uploadsWhen(ws, (s) => s.totals.accepted === 32 && s.totals.pending === 0);
    expect(ws.uploads.sandbox!.rows({ queryType: 'circulation' })).toHaveLength(32);
    expect(ws.uploads.sandbox!.duplicates()).toEqual([]);
    const again = await json<ReconcileResultView>(ws, 'POST', '/api/uploads/reconcile', { date: chinaToday() });
    expect(again).toMatchObject({ checked: 32, found: 32, missing: [] });
    const events = (await ws.db.knex('upload_events').where({ code: b.units[0] }).orderBy('id').pluck('event')) as string[];
    expect(events).toEqual(['queued', 'exported', 'manual-accepted', 'reconciled-missing', 'sent', 'accepted']);

    const byBatch = await json<ReconcileResultView>(ws, 'POST', '/api/uploads/reconcile', { batch: 'B2026' });
    expect(byBatch).toMatchObject({ checked: 32, found: 32, missing: [], batch: 'B2026' });
    expect((await ws.api('/api/uploads/reconcile', { method: 'POST', body: JSON.stringify({ date: '2026-13-45x' }) })).status).toBe(400);
  });
});
