import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeView, DocumentDetailView } from '../../server/contract/dock.js';
import type { CodeTimelineView } from '../../server/contract/timeline.js';
import { dockStation, documentDetail, GTIN_UNIT, json, openDocument, PREFIX, seedCase, seedDock, seedLooseUnit, traceCode, type CaseTree, type DockFixture } from '../helpers/dock.js';
import { startTestWorkstation, type TestWorkstation } from '../helpers/workstation.js';

// Receiving and dispatch over real HTTP and a real SQLite file: the state machine, the expected
// content, reasons naming the codes, circulation records and undo (issue 5).
describe('dock movements', () => {
  let ws: TestWorkstation;
  let fx: DockFixture;
  let caseA: CaseTree;
  let caseB: CaseTree;
  let loose: string[];
  let receiving: number;
  let dispatch: number;
  let inbound: number;

  beforeAll(async () => {
    ws = await startTestWorkstation();
    fx = await seedDock(ws.db.knex, ws.session.unitId);
    caseA = await seedCase(ws.db.knex);
    caseB = await seedCase(ws.db.knex);
    loose = [await seedLooseUnit(ws.db.knex), await seedLooseUnit(ws.db.knex)];
    receiving = (await dockStation(ws, '收货一号', 'receiving')).id;
    dispatch = (await dockStation(ws, '发货一号', 'dispatch')).id;
  });
  afterAll(async () => ws?.stop());

  it('refuses codes until a document is chosen', async () => {
    const scan = await ws.postScan(receiving, caseA.case);
    expect(scan).toMatchObject({ decision: 'rejected', reasonCode: 'no_document' });
  });

  it('receives one case of 1:5:10 plus two loose units: complete, zero missing, each wrong scan rejected with its reason', async () => {
    const doc = await openDocument(ws, { direction: 'in', number: 'RK-0001', type: '102', counterpartyId: fx.supplierId, stationId: receiving, expected: { codes: [caseA.case, ...loose] } });
    inbound = doc.id;
    let detail = await documentDetail(ws, doc.id);
    expect(detail.reconciliation).toMatchObject({ expected: 12, received: 0, missing: 12, complete: false });

    const caseScan = await ws.postScan(receiving, caseA.case);
    expect(caseScan).toMatchObject({ decision: 'accepted', effect: { action: 'receive', units: 10, codes: 16, documentId: doc.id } });

    // A box from the case just received: a duplicate that says which case.
    const again = await ws.postScan(receiving, caseA.units[3]!);
    expect(again).toMatchObject({ decision: 'duplicate', reasonCode: 'received_with_case', duplicateOf: caseScan.id });
    expect(again.reason!['zh-CN']).toContain(caseA.case);

    for (const u of loose) expect(await ws.postScan(receiving, u)).toMatchObject({ decision: 'accepted', effect: { units: 1 } });
    expect(await ws.postScan(receiving, loose[0]!)).toMatchObject({ decision: 'duplicate', reasonCode: 'duplicate' });

    const wrongProduct = await ws.postScan(receiving, traceCode(PREFIX.otherUnit));
    expect(wrongProduct).toMatchObject({ decision: 'rejected', reasonCode: 'not_on_document' });
    expect(wrongProduct.reason!['zh-CN']).toContain('布洛芬缓释胶囊');

    const otherCase = await ws.postScan(receiving, caseB.units[0]!);
    expect(otherCase).toMatchObject({ decision: 'rejected', reasonCode: 'inside_other_case' });
    expect(otherCase.reason!['zh-CN']).toContain(caseB.case);

    expect(await ws.postScan(receiving, GTIN_UNIT)).toMatchObject({ decision: 'rejected', reasonCode: 'commodity_not_trace' });

    detail = await documentDetail(ws, doc.id);
    expect(detail.reconciliation).toMatchObject({ expected: 12, received: 12, missing: 0, unexpected: 0, complete: true, missingCodes: [] });

    const done = await json<DocumentDetailView>(ws, 'POST', `/api/documents/${doc.id}/complete`, {});
    expect(done.document.status).toBe('completed');
    // NHSA FAQ, inbound: circulation unit and receiver are us, the shipper is the upstream.
    expect(done.circulation).toMatchObject({
      direction: 'in',
      circulationUnitUscc: '91350100M000100Y43',
      shipperName: '华北制药股份有限公司',
      shipperUscc: '91110000600037341L',
      shipStatus: 'shipped',
      receiverUscc: '91350100M000100Y43',
      receiveStatus: 'received',
      codeCount: 18,
    });
    const unit = await json<CodeView>(ws, 'GET', `/api/codes/${caseA.units[0]}`);
    expect(unit).toMatchObject({ state: 'in_stock', level: 1, product: { name: '阿莫西林胶囊', nhsaCode: 'XJ01CAA040A001010100001', commodityCode: GTIN_UNIT }, parent: caseA.middles[0] });
    expect(await json<CodeView>(ws, 'GET', `/api/codes/${caseA.case}`)).toMatchObject({ state: 'in_stock', level: 3, units: 10, children: 5 });
  });

  it('refuses to receive a code already in stock, naming the earlier document', async () => {
    const doc = await openDocument(ws, { direction: 'in', number: 'RK-0002', type: '102', counterpartyId: fx.supplierId, stationId: receiving });
    const scan = await ws.postScan(receiving, loose[0]!);
    expect(scan).toMatchObject({ decision: 'rejected', reasonCode: 'already_in_stock' });
    expect(scan.reason!['zh-CN']).toContain('RK-0001');
    await json(ws, 'POST', `/api/documents/${doc.id}/cancel`, { reason: '测试' });
  });

  it('completing with items missing needs the shortage confirmed', async () => {
    const doc = await openDocument(ws, { direction: 'in', number: 'RK-0003', type: '102', counterpartyId: fx.supplierId, stationId: receiving, expected: { codes: [caseB.case] } });
    await ws.postScan(receiving, caseB.middles[0]!);
    const res = await ws.api(`/api/documents/${doc.id}/complete`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('DOCUMENT_INCOMPLETE');
    const detail = await documentDetail(ws, doc.id);
    expect(detail.reconciliation).toMatchObject({ expected: 10, received: 2, missing: 8 });
    expect(detail.reconciliation.missingCodes).toHaveLength(8);
    await json(ws, 'POST', `/api/documents/${doc.id}/cancel`, { reason: '测试' });
    // Cancelling put the codes back where they were (never seen).
    expect((await ws.api(`/api/codes/${caseB.units[0]}`).then((r) => r.json())) as CodeView).toMatchObject({ state: 'not_seen' });
  });

  it('dispatches the same codes; a second shipment, an expired code and a never-received code are rejected', async () => {
    const expiredDoc = await openDocument(ws, { direction: 'in', number: 'RK-0004', type: '102', counterpartyId: fx.supplierId, stationId: receiving });
    const expired = await seedLooseUnit(ws.db.knex, '2020-01-31');
    expect(await ws.postScan(receiving, expired)).toMatchObject({ decision: 'accepted' });
    await json(ws, 'POST', `/api/documents/${expiredDoc.id}/complete`, {});

    const out = await openDocument(ws, { direction: 'out', number: 'CK-0001', type: '201', counterpartyId: fx.customerId, stationId: dispatch });
    expect(await ws.postScan(dispatch, caseA.case)).toMatchObject({ decision: 'accepted', effect: { action: 'pick', units: 10 } });
    for (const u of loose) expect(await ws.postScan(dispatch, u)).toMatchObject({ decision: 'accepted' });
    expect(await ws.postScan(dispatch, caseA.case)).toMatchObject({ decision: 'duplicate' });
    const exp = await ws.postScan(dispatch, expired);
    expect(exp).toMatchObject({ decision: 'rejected', reasonCode: 'expired' });
    expect(exp.reason!['zh-CN']).toContain('2020-01-31');
    expect(await ws.postScan(dispatch, caseB.units[0]!)).toMatchObject({ decision: 'rejected', reasonCode: 'not_received' });

    const done = await json<DocumentDetailView>(ws, 'POST', `/api/documents/${out.id}/complete`, {});
    // Outbound: circulation unit and shipper are us, the receiver is the customer.
    expect(done.circulation).toMatchObject({ direction: 'out', shipperUscc: '91350100M000100Y43', receiverName: '兰州市第一人民医院', receiveStatus: 'pending', codeCount: 18 });
    expect(await json<CodeView>(ws, 'GET', `/api/codes/${loose[1]}`)).toMatchObject({ state: 'shipped', document: { number: 'CK-0001' } });

    await openDocument(ws, { direction: 'out', number: 'CK-0002', type: '201', counterpartyId: fx.customerId, stationId: dispatch });
    const twice = await ws.postScan(dispatch, loose[0]!);
    expect(twice).toMatchObject({ decision: 'rejected', reasonCode: 'already_shipped' });
    expect(twice.reason!['zh-CN']).toContain('CK-0001');
    expect(await ws.postScan(dispatch, caseA.units[5]!)).toMatchObject({ decision: 'rejected', reasonCode: 'already_shipped' });
  });

  it('undo reverses stock; the journal keeps both movements', async () => {
    const doc = await openDocument(ws, { direction: 'in', number: 'RK-0005', type: '102', counterpartyId: fx.supplierId, stationId: receiving });
    const scan = await ws.postScan(receiving, caseB.case);
    expect(scan).toMatchObject({ decision: 'accepted', effect: { units: 10 } });
    expect(await json<CodeView>(ws, 'GET', `/api/codes/${caseB.units[9]}`)).toMatchObject({ state: 'receiving' });
    expect((await documentDetail(ws, doc.id)).reconciliation.received).toBe(10);

    const undo = await ws.api(`/api/scans/${scan.id}/undo`, { method: 'POST', body: JSON.stringify({ reason: '扫错了' }) });
    expect(undo.status).toBe(200);
    expect((await ws.api(`/api/codes/${caseB.units[9]}`).then((r) => r.json())) as CodeView).toMatchObject({ state: 'not_seen' });
    expect((await documentDetail(ws, doc.id)).reconciliation.received).toBe(0);
    const history = (await json<CodeTimelineView>(ws, 'GET', `/api/codes/${caseB.units[9]}/history`)).events;
    expect(history.filter((h) => h.document?.number === 'RK-0005').map((h) => [h.kind, h.fromState, h.toState])).toEqual([
      ['receive', 'not_seen', 'receiving'],
      ['undo', 'receiving', 'not_seen'],
    ]);
    // Scannable again after the undo.
    expect(await ws.postScan(receiving, caseB.case)).toMatchObject({ decision: 'accepted' });
    expect(inbound).toBeGreaterThan(0);
  });

  it('a locked code (recall, quarantine) cannot ship until unlocked; the lock is journalled', async () => {
    const code = await seedLooseUnit(ws.db.knex);
    const doc = await openDocument(ws, { direction: 'in', number: 'RK-0006', type: '102', counterpartyId: fx.supplierId, stationId: receiving });
    await ws.postScan(receiving, code);
    await json(ws, 'POST', `/api/documents/${doc.id}/complete`, {});
    expect(await json<CodeView>(ws, 'POST', `/api/codes/${code}/lock`, { reason: '召回批次 B2026' })).toMatchObject({ state: 'locked' });
    await openDocument(ws, { direction: 'out', number: 'CK-0003', type: '201', counterpartyId: fx.customerId, stationId: dispatch });
    expect(await ws.postScan(dispatch, code)).toMatchObject({ decision: 'rejected', reasonCode: 'locked' });
    expect(await json<CodeView>(ws, 'POST', `/api/codes/${code}/unlock`, { reason: '召回解除' })).toMatchObject({ state: 'in_stock', document: { number: 'RK-0006' } });
    expect(await ws.postScan(dispatch, code)).toMatchObject({ decision: 'accepted' });
    const history = (await json<CodeTimelineView>(ws, 'GET', `/api/codes/${code}/history`)).events;
    // The refused dispatch scan of the locked code is on the timeline too, as an exception.
    expect(history.filter((h) => h.source === 'scan').map((h) => [h.kind, h.reason])).toEqual([['rejected', 'locked']]);
    expect(history.filter((h) => h.source === 'movement').map((h) => [h.kind, h.toState])).toEqual([
      ['receive', 'receiving'],
      ['complete', 'in_stock'],
      ['lock', 'locked'],
      ['unlock', 'in_stock'],
      ['pick', 'picking'],
    ]);
  });
});
