import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeTimelineView, TimelineEvent } from '../../server/contract/timeline.js';
import { dockStation, json, openDocument, seedCase, seedDock, type CaseTree, type DockFixture } from '../helpers/dock.js';
import { uploadsWhen } from '../helpers/uploads.js';
import { startTestWorkstation, type TestWorkstation } from '../helpers/workstation.js';

/** A line of the timeline as a test reads it: where it came from, what, and the document or parent. */
const line = (e: TimelineEvent) => [e.source, e.kind, e.document?.number ?? e.parent ?? e.upload?.operation ?? null];

// Issue 8: "where has this box been" — one code received in a case, unpacked, shipped and uploaded,
// over real HTTP against a real SQLite file and the built-in NHSA sandbox.
describe('code timeline', () => {
  let ws: TestWorkstation;
  let fx: DockFixture;
  let box: CaseTree;
  let unit: string;

  beforeAll(async () => {
    ws = await startTestWorkstation({ env: { TRACEDOCK_UPLOAD_GRACE_MS: '100', TRACEDOCK_UPLOAD_TIMEOUT_MS: '2000' } });
    fx = await seedDock(ws.db.knex, ws.session.unitId);
    box = await seedCase(ws.db.knex, { batch: 'T-2026' });
    unit = box.units[0]!;
    const receiving = (await dockStation(ws, '收货一号', 'receiving')).id;
    const aggregation = (await dockStation(ws, '拆箱台', 'aggregation')).id;
    const dispatch = (await dockStation(ws, '发货一号', 'dispatch')).id;

    const inbound = await openDocument(ws, { direction: 'in', number: 'RK-TL-1', type: '102', counterpartyId: fx.supplierId, stationId: receiving });
    expect(await ws.postScan(receiving, box.case)).toMatchObject({ decision: 'accepted' });
    await json(ws, 'POST', `/api/documents/${inbound.id}/complete`, {});
    await uploadsWhen(ws, (s) => s.totals.accepted === 16);

    await json(ws, 'POST', `/api/stations/${aggregation}/context`, { mode: 'unpack' });
    expect(await ws.postScan(aggregation, unit)).toMatchObject({ decision: 'accepted', effect: { action: 'unpack', parent: box.middles[0] } });

    const outbound = await openDocument(ws, { direction: 'out', number: 'CK-TL-1', type: '201', counterpartyId: fx.customerId, stationId: dispatch });
    expect(await ws.postScan(dispatch, unit)).toMatchObject({ decision: 'accepted' });
    // A second scan of the same pack: an exception the supervisor sees on the timeline.
    expect(await ws.postScan(dispatch, unit)).toMatchObject({ decision: 'duplicate' });
    await json(ws, 'POST', `/api/documents/${outbound.id}/complete`, {});
    const s = await uploadsWhen(ws, (x) => x.totals.accepted === 17);
    expect(s.totals.accepted).toBe(17);
  });
  afterAll(async () => ws?.stop());

  it('shows receiving in the case, unpacking, shipping and both uploads, in order, with the platform answer', async () => {
    const tl = await json<CodeTimelineView>(ws, 'GET', `/api/codes/${unit}/history`);
    expect(tl.code).toBe(unit);
    expect(tl.events.map(line)).toEqual([
      ['movement', 'receive', 'RK-TL-1'],
      ['movement', 'complete', 'RK-TL-1'],
      ['upload', 'queued', 'circulation'],
      ['upload', 'sent', 'circulation'],
      ['upload', 'accepted', 'circulation'],
      ['pack', 'unpack', box.middles[0]],
      ['movement', 'pick', 'CK-TL-1'],
      ['scan', 'duplicate', null],
      ['movement', 'complete', 'CK-TL-1'],
      ['upload', 'queued', 'circulation'],
      ['upload', 'sent', 'circulation'],
      ['upload', 'accepted', 'circulation'],
    ]);
    const [receive, , , , accepted, unpack, pick] = tl.events;
    // Received as part of the case: the scan was the case's, and the timeline says so.
    expect(receive).toMatchObject({ via: box.case, fromState: 'not_seen', toState: 'receiving', document: { direction: 'in', counterparty: { name: '华北制药股份有限公司' } }, station: { name: '收货一号' } });
    expect(receive!.operator?.name).toBeTruthy();
    expect(accepted!.upload).toMatchObject({ platform: 'nhsa', httpStatus: 200 });
    expect(unpack).toMatchObject({ parent: box.middles[0], via: null, station: { name: '拆箱台' } });
    expect(pick).toMatchObject({ via: null, toState: 'picking', document: { direction: 'out', counterparty: { name: '兰州市第一人民医院' } } });
    expect(tl.events.at(-4)).toMatchObject({ kind: 'complete', toState: 'shipped' });
    expect(tl.view).toMatchObject({ state: 'shipped', parent: null, batch: 'T-2026' });
    // Oldest first, always.
    const times = tl.events.map((e) => e.at);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('draws the hierarchy around a code: the parent chain and the counts per level below', async () => {
    const middle = await json<CodeTimelineView>(ws, 'GET', `/api/codes/${box.middles[0]}/history`);
    expect(middle.tree.ancestors.map((a) => [a.code, a.level, a.state])).toEqual([[box.case, 3, 'in_stock']]);
    // One of its two units was taken out and shipped; the other is still inside.
    expect(middle.tree.descendants).toEqual([{ level: 1, count: 1 }]);
    expect(middle.tree.children.map((c) => [c.code, c.state])).toEqual([[box.units[1], 'in_stock']]);
    expect(middle.events.filter((e) => e.source === 'children').map((e) => [e.kind, e.count])).toEqual([['unpack', 1]]);
    // Its own upload, and the case's (the case was reported with it inside); never the unit it lost.
    const uploads = middle.events.filter((e) => e.source === 'upload' && e.kind === 'accepted');
    expect(uploads.map((e) => e.via).sort()).toEqual([box.case, null].sort());

    const top = await json<CodeTimelineView>(ws, 'GET', `/api/codes/${box.case}/history`);
    expect(top.tree.ancestors).toEqual([]);
    expect(top.tree.descendants).toEqual([
      { level: 2, count: 5 },
      { level: 1, count: 9 },
    ]);
    expect(top.tree.childrenTotal).toBe(5);
    expect(top.events.find((e) => e.source === 'movement' && e.kind === 'receive')).toMatchObject({ via: null });
  });

  it('reads a unit still in its case with the case events marked as carried by the case', async () => {
    const inside = await json<CodeTimelineView>(ws, 'GET', `/api/codes/${box.units[1]}/history`);
    expect(inside.tree.ancestors.map((a) => a.code)).toEqual([box.middles[0], box.case]);
    expect(inside.events.filter((e) => e.source === 'movement').map((e) => [e.kind, e.via])).toEqual([
      ['receive', box.case],
      ['complete', null],
    ]);
  });

  it('its card says what the dock lookup says, for a unit, a middle and a case', async () => {
    for (const code of [unit, box.units[1]!, box.middles[0]!, box.case]) {
      const tl = await json<CodeTimelineView>(ws, 'GET', `/api/codes/${code}/history`);
      expect(tl.view).toEqual(await json(ws, 'GET', `/api/codes/${code}`));
    }
  });

  it('answers 404 for a code the unit never saw, and 400 for an empty one', async () => {
    const missing = await ws.api('/api/codes/81000019999999999999/history');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('CODE_NOT_FOUND');
    expect((await ws.api('/api/codes/%20/history')).status).toBe(400);
  });
});
