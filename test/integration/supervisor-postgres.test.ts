import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodePageView, ExportView } from '../../server/contract/queries.js';
import type { CodeTimelineView } from '../../server/contract/timeline.js';
import type { ScanView } from '../../server/contract/views.js';
import { dockStation, json, openDocument, seedCase, seedDock, type CaseTree, type DockFixture } from '../helpers/dock.js';
import { DIALECTS, startMasterDataWorkstation } from '../helpers/master-data.js';
import { waitFor } from '../helpers/socket.js';
import type { TestWorkstation } from '../helpers/workstation.js';

// Issue 8 on both databases: the timeline, a query and an export run the same statements on the
// embedded SQLite and on a shared PostgreSQL (a multi-dock site).
describe.each(DIALECTS)('supervisor reads on %s', (dialect) => {
  let ws: TestWorkstation;
  let fx: DockFixture;
  let box: CaseTree;
  const sql = async <T>(text: string, bindings: unknown[]): Promise<T[]> => {
    const r = (await ws.db.knex.raw(text, bindings as never)) as unknown;
    return (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];
  };

  beforeAll(async () => {
    const base = await startMasterDataWorkstation(dialect);
    const postScan = (stationId: number, raw: string) => json<ScanView>(ws, 'POST', `/api/stations/${stationId}/scans`, { raw });
    ws = Object.assign(base, { postScan }) as unknown as TestWorkstation;
    fx = await seedDock(ws.db.knex, ws.session.unitId);
    box = await seedCase(ws.db.knex, { batch: 'PG-1' });
    const receiving = (await dockStation(ws, '收货', 'receiving')).id;
    const dispatch = (await dockStation(ws, '发货', 'dispatch')).id;
    const rk = await openDocument(ws, { direction: 'in', number: 'RK-PG-1', type: '102', counterpartyId: fx.supplierId, stationId: receiving });
    expect(await ws.postScan(receiving, box.case)).toMatchObject({ decision: 'accepted' });
    await json(ws, 'POST', `/api/documents/${rk.id}/complete`, {});
    const ck = await openDocument(ws, { direction: 'out', number: 'CK-PG-1', type: '201', counterpartyId: fx.customerId, stationId: dispatch });
    expect(await ws.postScan(dispatch, box.middles[0]!)).toMatchObject({ decision: 'accepted' });
    await json(ws, 'POST', `/api/documents/${ck.id}/complete`, {});
  }, 120_000);
  afterAll(async () => ws?.stop());

  it('a shipped unit shows receiving and shipping with its case and counterparties', async () => {
    const tl = await json<CodeTimelineView>(ws, 'GET', `/api/codes/${box.units[0]}/history`);
    expect(tl.events.filter((e) => e.source === 'movement').map((e) => [e.kind, e.document?.number, e.via])).toEqual([
      ['receive', 'RK-PG-1', box.case],
      ['complete', 'RK-PG-1', null],
      ['pick', 'CK-PG-1', box.middles[0]],
      ['complete', 'CK-PG-1', null],
    ]);
    expect(tl.view).toEqual(await json(ws, 'GET', `/api/codes/${box.units[0]}`));
    // Picking the middle out of its case split it off: the case is no longer above the unit.
    expect(tl.tree.ancestors.map((a) => a.code)).toEqual([box.middles[0]]);
  });

  it('queries and exports agree with plain SQL', async () => {
    const [want] = await sql<{ n: number | string }>(`SELECT COUNT(*) AS n FROM code_states WHERE unit_id = ? AND batch = 'PG-1' AND state = 'shipped'`, [ws.session.unitId]);
    const page = await json<CodePageView>(ws, 'GET', '/api/codes?batch=PG-1&state=shipped&sort=product&order=desc');
    expect(page.total).toBe(Number(want!.n));
    expect(page.total).toBe(3);
    const byDoc = await json<CodePageView>(ws, 'GET', '/api/codes?document=CK-PG-1');
    expect(byDoc.rows.map((r) => r.code).sort()).toEqual([box.middles[0], ...box.units.slice(0, 2)].sort());

    const job = await json<ExportView>(ws, 'POST', '/api/exports', { query: { batch: 'PG-1' }, format: 'csv' });
    expect(job.total).toBe(16);
    const done = await waitFor(async () => {
      const v = await json<ExportView>(ws, 'GET', `/api/exports/${job.id}`);
      return v.status === 'done' || v.status === 'failed' ? v : undefined;
    }, 30_000);
    expect(done.status).toBe('done');
    const text = await (await ws.api(`/api/exports/${job.id}/file`)).text();
    const codes = text.replace(/^\ufeff/, '').trim().split('\r\n').slice(1).map((l) => l.split(',')[1]);
    expect(codes.sort()).toEqual([box.case, ...box.middles, ...box.units].sort());
  });
});
