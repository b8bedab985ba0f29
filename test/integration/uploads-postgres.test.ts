import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReconcileResultView, UploadLedgerEntryView } from '../../server/contract/uploads.js';
import { dockStation, json, openDocument, seedCase, seedDock } from '../helpers/dock.js';
import { startTempPostgres, type TempPostgres } from '../helpers/postgres.js';
import { uploadsWhen } from '../helpers/uploads.js';
import { startTestWorkstation, type TestWorkstation } from '../helpers/workstation.js';

// The outbox's set-based SQL (json_build_object payloads, ON CONFLICT, FOR UPDATE SKIP LOCKED,
// RETURNING transitions) on a shared PostgreSQL database.
describe('NHSA outbox on PostgreSQL', () => {
  let pg: TempPostgres;
  let ws: TestWorkstation;
  beforeAll(async () => {
    pg = await startTempPostgres();
    ws = await startTestWorkstation({ env: { TRACEDOCK_DB_URL: pg.url, TRACEDOCK_UPLOAD_GRACE_MS: '100' } });
  }, 90_000);
  afterAll(async () => {
    await ws?.stop();
    await pg?.stop();
  });

  it('queues, uploads through faults, resolves by query, reconciles', async () => {
    expect(ws.db.dialect).toBe('postgres');
    const fx = await seedDock(ws.db.knex, ws.session.unitId);
    const station = await dockStation(ws, 'pg-收货', 'receiving');
    const c = await seedCase(ws.db.knex);
    ws.uploads.sandbox!.forceFaults(['drop-after-store', '5xx']);
    const doc = await openDocument(ws, { direction: 'in', number: 'PG-UP-1', type: '102', counterpartyId: fx.supplierId, stationId: station.id });
    await ws.postScan(station.id, c.case);
    await json(ws, 'POST', `/api/documents/${doc.id}/complete`, {});
    const s = await uploadsWhen(ws, (x) => x.totals.accepted === 16);
    expect(s.totals).toMatchObject({ accepted: 16, pending: 0, unknown: 0 });
    expect(ws.uploads.sandbox!.duplicates()).toEqual([]);
    expect(ws.uploads.sandbox!.rows({ queryType: 'circulation' })).toHaveLength(16);
    const ledger = await json<UploadLedgerEntryView[]>(ws, 'GET', `/api/codes/${c.units[0]}/uploads`);
    expect(ledger[0]).toMatchObject({ event: 'queued', operation: 'circulation' });
    expect(ledger.at(-1)!.event).toMatch(/accepted/);
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    expect(await json<ReconcileResultView>(ws, 'POST', '/api/uploads/reconcile', { date: today })).toMatchObject({ checked: 16, found: 16, missing: [] });
    expect(await json<ReconcileResultView>(ws, 'POST', '/api/uploads/reconcile', { batch: 'B2026' })).toMatchObject({ checked: 16, found: 16 });
  });
});
