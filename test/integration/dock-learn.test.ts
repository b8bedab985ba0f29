import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeView, MappingView, StationContextView } from '../../server/contract/dock.js';
import { dockStation, GTIN_UNIT, json, openDocument, seedDock, traceCode } from '../helpers/dock.js';
import { startTestWorkstation, type TestWorkstation } from '../helpers/workstation.js';

// The learn flow of the three-code mapping (DOMAIN.md §5): an unknown identification code at the
// dock, the pack's commodity barcode, a supervisor's approval, kept with who and when.
describe('learning a new trace-code prefix at the dock', () => {
  let ws: TestWorkstation;
  let station: number;

  beforeAll(async () => {
    ws = await startTestWorkstation();
    const fx = await seedDock(ws.db.knex, ws.session.unitId);
    station = (await dockStation(ws, '收货一号', 'receiving')).id;
    await openDocument(ws, { direction: 'in', number: 'RK-L1', type: '102', counterpartyId: fx.supplierId, stationId: station });
  });
  afterAll(async () => ws?.stop());

  it('unknown prefix → commodity barcode → pending mapping → approval → the code resolves with its three codes', async () => {
    const code = traceCode('8300001');
    const unknown = await ws.postScan(station, code);
    expect(unknown).toMatchObject({ decision: 'rejected', reasonCode: 'unknown_product' });
    expect(unknown.reason!['zh-CN']).toContain('8300001');
    expect((await json<StationContextView>(ws, 'GET', `/api/stations/${station}/context`)).learning).toBe(code);

    const learn = await ws.postScan(station, GTIN_UNIT);
    expect(learn).toMatchObject({ decision: 'accepted', reasonCode: 'learn_pending', effect: { action: 'learn' } });
    expect((await json<StationContextView>(ws, 'GET', `/api/stations/${station}/context`)).learning).toBeNull();

    // Not usable before a supervisor approves.
    expect(await ws.postScan(station, code)).toMatchObject({ decision: 'rejected', reasonCode: 'unknown_product' });
    const [pending] = await json<MappingView[]>(ws, 'GET', '/api/mappings?status=pending');
    expect(pending).toMatchObject({ kind: 'prefix', value: '8300001', level: 1, productName: '阿莫西林胶囊', proposedBy: ws.session.operatorId });

    const approved = await json<MappingView>(ws, 'POST', `/api/mappings/${pending!.id}/decide`, { approve: true });
    expect(approved).toMatchObject({ status: 'active', decidedBy: ws.session.operatorId });
    const history = await json<Array<{ action: string }>>(ws, 'GET', `/api/mappings/${pending!.id}/history`);
    expect(history.map((h) => h.action)).toEqual(['proposed', 'approved']);
    expect((await ws.api(`/api/mappings/${pending!.id}/decide`, { method: 'POST', body: JSON.stringify({ approve: false }) })).status).toBe(409);

    expect(await ws.postScan(station, code)).toMatchObject({ decision: 'accepted', effect: { action: 'receive', units: 1 } });
    expect(await json<CodeView>(ws, 'GET', `/api/codes/${code}`)).toMatchObject({
      state: 'receiving',
      product: { name: '阿莫西林胶囊', nhsaCode: 'XJ01CAA040A001010100001', commodityCode: GTIN_UNIT },
    });
  });
});
