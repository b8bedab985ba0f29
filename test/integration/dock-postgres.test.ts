import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeView, DocumentDetailView } from '../../server/contract/dock.js';
import { dockStation, documentDetail, json, openDocument, seedCase, seedDock, seedLooseUnit } from '../helpers/dock.js';
import { startTempPostgres, type TempPostgres } from '../helpers/postgres.js';
import { startTestWorkstation, type TestWorkstation } from '../helpers/workstation.js';

// Several docks can share one PostgreSQL database: the dock's set-based SQL (recursive subtrees,
// upserts, UPDATE … FROM for undo) must behave the same there.
describe('dock workflows on PostgreSQL', () => {
  let pg: TempPostgres;
  let ws: TestWorkstation;
  beforeAll(async () => {
    pg = await startTempPostgres();
    ws = await startTestWorkstation({ env: { TRACEDOCK_DB_URL: pg.url } });
  }, 90_000);
  afterAll(async () => {
    await ws?.stop();
    await pg?.stop();
  });

  it('receives a case with expected content, completes, dispatches, undoes and packs', async () => {
    expect(ws.db.dialect).toBe('postgres');
    const fx = await seedDock(ws.db.knex, ws.session.unitId);
    const tree = await seedCase(ws.db.knex);
    const loose = await seedLooseUnit(ws.db.knex);
    const receiving = (await dockStation(ws, 'pg-收货', 'receiving')).id;
    const doc = await openDocument(ws, { direction: 'in', number: 'PG-RK-1', type: '102', counterpartyId: fx.supplierId, stationId: receiving, expected: { codes: [tree.case, loose] } });
    expect((await documentDetail(ws, doc.id)).reconciliation).toMatchObject({ expected: 11, missing: 11 });
    expect(await ws.postScan(receiving, tree.case)).toMatchObject({ decision: 'accepted', effect: { units: 10, codes: 16 } });
    expect(await ws.postScan(receiving, tree.units[0]!)).toMatchObject({ decision: 'duplicate', reasonCode: 'received_with_case' });
    const looseScan = await ws.postScan(receiving, loose);
    expect((await ws.api(`/api/scans/${looseScan.id}/undo`, { method: 'POST', body: JSON.stringify({ reason: 'pg' }) })).status).toBe(200);
    expect((await documentDetail(ws, doc.id)).reconciliation).toMatchObject({ received: 10, missing: 1 });
    expect(await ws.postScan(receiving, loose)).toMatchObject({ decision: 'accepted' });
    const done = await json<DocumentDetailView>(ws, 'POST', `/api/documents/${doc.id}/complete`, {});
    expect(done.circulation).toMatchObject({ direction: 'in', codeCount: 17, receiveStatus: 'received' });

    const dispatch = (await dockStation(ws, 'pg-发货', 'dispatch')).id;
    const out = await openDocument(ws, { direction: 'out', number: 'PG-CK-1', type: '201', counterpartyId: fx.customerId, stationId: dispatch });
    // One box out of the stored case: shipped alone, the case is broken (拆零) by an event.
    expect(await ws.postScan(dispatch, tree.units[1]!)).toMatchObject({ decision: 'accepted', effect: { action: 'pick', parent: tree.middles[0] } });
    await json(ws, 'POST', `/api/documents/${out.id}/complete`, {});
    expect(await json<CodeView>(ws, 'GET', `/api/codes/${tree.units[1]}`)).toMatchObject({ state: 'shipped', parent: null });
    expect(await json<CodeView>(ws, 'GET', `/api/codes/${tree.case}`)).toMatchObject({ state: 'in_stock', units: 9 });
  });
});
