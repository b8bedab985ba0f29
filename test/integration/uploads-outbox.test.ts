import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UploadLedgerEntryView, UploadRecordView } from '../../server/contract/uploads.js';
import { uploadsWhen } from '../helpers/uploads.js';
import { dockStation, json, openDocument, seedCase, seedDock, type DockFixture } from '../helpers/dock.js';
import { startTestWorkstation, type TestWorkstation } from '../helpers/workstation.js';

// The outbox end to end against the built-in sandbox (what `npm start` uses without credentials).
describe('NHSA outbox', () => {
  let ws: TestWorkstation;
  let fx: DockFixture;
  let receiving: number;

  beforeAll(async () => {
    ws = await startTestWorkstation({ env: { TRACEDOCK_UPLOAD_GRACE_MS: '100', TRACEDOCK_UPLOAD_TIMEOUT_MS: '2000' } });
    fx = await seedDock(ws.db.knex, ws.session.unitId);
    receiving = (await dockStation(ws, '收货', 'receiving')).id;
  });
  afterAll(async () => ws?.stop());

  it('a completed inbound document queues one circulation record per code in its transaction; the worker uploads each once', async () => {
    const c = await seedCase(ws.db.knex);
    const doc = await openDocument(ws, { direction: 'in', number: 'RK-UP-1', type: '102', counterpartyId: fx.supplierId, stationId: receiving });
    expect(await ws.postScan(receiving, c.case)).toMatchObject({ decision: 'accepted' });
    await json(ws, 'POST', `/api/documents/${doc.id}/complete`, {});
    const queued = (await ws.db.knex('upload_records').where({ document_id: doc.id })) as Array<{ code: string; operation: string; payload: string }>;
    expect(queued).toHaveLength(16);
    expect(new Set(queued.map((r) => r.operation))).toEqual(new Set(['circulation']));
    expect(JSON.parse(queued[0]!.payload)).toMatchObject({ direction: 'in', documentNumber: 'RK-UP-1', shipperName: '华北制药股份有限公司', receiverUscc: '91350100M000100Y43', receiveStatus: 'received' });

    const summary = await uploadsWhen(ws, (s) => s.totals.accepted === 16);
    expect(summary).toMatchObject({ target: { mode: 'sandbox', platform: 'nhsa' }, totals: { accepted: 16, pending: 0, sending: 0, unknown: 0 } });
    const rows = ws.uploads.sandbox!.rows({ queryType: 'circulation' });
    expect(rows.map((r) => r.fields.drug_trac_codg).sort()).toEqual(queued.map((r) => r.code).sort());
    expect(rows[0]!.fields).toMatchObject({ flow_dir: '1', bill_no: 'RK-UP-1', shp_stas: '1', rcv_stas: '1' });
    expect(ws.uploads.sandbox!.duplicates()).toEqual([]);

    const ledger = await json<UploadLedgerEntryView[]>(ws, 'GET', `/api/codes/${c.units[0]}/uploads`);
    expect(ledger.map((e) => e.event)).toEqual(['queued', 'sent', 'accepted']);
    expect(ledger[2]).toMatchObject({ channel: 'api', httpStatus: 200, operation: 'circulation' });
  });

  it('retry and skip are ledger events with who; a skipped record is never sent', async () => {
    const [rec] = await json<UploadRecordView[]>(ws, 'GET', '/api/uploads/records?state=accepted&limit=1');
    const conflict = await ws.api(`/api/uploads/${rec!.id}/skip`, { method: 'POST', body: JSON.stringify({ reason: '已手工上传' }) });
    expect(conflict.status).toBe(409);
    const bad = await ws.api(`/api/uploads/${rec!.id}/skip`, { method: 'POST', body: JSON.stringify({}) });
    expect(bad.status).toBe(400);
  });
});
