import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeView, StationContextView } from '../../server/contract/dock.js';
import type { CodeTimelineView } from '../../server/contract/timeline.js';
import { dockStation, json, PREFIX, seedCase, seedDock, traceCode, type CaseTree } from '../helpers/dock.js';
import { startTestWorkstation, type TestWorkstation } from '../helpers/workstation.js';

// The aggregation station over real HTTP and SQLite: scan a parent, then its children; the
// hierarchy rules of DOMAIN.md §3 decide live and name the offending codes (issue 5).
describe('aggregation station', () => {
  let ws: TestWorkstation;
  let station: number;
  let stored: CaseTree;
  const middle1 = traceCode(PREFIX.middle);
  const middle2 = traceCode(PREFIX.middle);
  const newCase = traceCode(PREFIX.case);
  const units = [traceCode(PREFIX.unit), traceCode(PREFIX.unit), traceCode(PREFIX.unit)];
  const parentOf = async (code: string) => (await json<CodeView>(ws, 'GET', `/api/codes/${code}`)).parent;
  const context = (body: Record<string, unknown>) => json<StationContextView>(ws, 'POST', `/api/stations/${station}/context`, body);

  beforeAll(async () => {
    ws = await startTestWorkstation();
    await seedDock(ws.db.knex, ws.session.unitId);
    stored = await seedCase(ws.db.knex);
    station = (await dockStation(ws, '装箱一号', 'aggregation')).id;
  });
  afterAll(async () => ws?.stop());

  it('a child before any parent is refused', async () => {
    expect(await ws.postScan(station, units[0]!)).toMatchObject({ decision: 'rejected', reasonCode: 'parent_unknown' });
  });

  it('packs children into the scanned parent and flags a partial parent (零头) instead of refusing it', async () => {
    expect(await ws.postScan(station, middle1)).toMatchObject({ decision: 'accepted', effect: { action: 'open_parent', parent: middle1, fill: { filled: 0, capacity: 2 } } });
    expect(await ws.postScan(station, units[0]!)).toMatchObject({ decision: 'accepted', effect: { action: 'pack', parent: middle1, fill: { filled: 1, capacity: 2, partial: true } } });
    expect(await ws.postScan(station, units[1]!)).toMatchObject({ decision: 'accepted', effect: { fill: { filled: 2, capacity: 2, partial: false } } });
    expect(await parentOf(units[0]!)).toBe(middle1);
  });

  it('names the offending codes for every rule a scan can break', async () => {
    const again = await ws.postScan(station, units[0]!);
    expect(again).toMatchObject({ decision: 'duplicate', reasonCode: 'already_in_this_parent' });
    expect(again.reason!['zh-CN']).toContain(middle1);

    const full = await ws.postScan(station, units[2]!);
    expect(full).toMatchObject({ decision: 'rejected', reasonCode: 'parent_full' });
    expect(full.reason!['zh-CN']).toContain(middle1);

    const foreign = traceCode(PREFIX.otherUnit);
    const mismatch = await ws.postScan(station, foreign);
    expect(mismatch).toMatchObject({ decision: 'rejected', reasonCode: 'product_mismatch' });
    expect(mismatch.reason!['zh-CN']).toContain(foreign);

    // A box already inside a stored middle pack: "already inside X, unpack it first".
    const packed = await ws.postScan(station, stored.units[0]!);
    expect(packed).toMatchObject({ decision: 'rejected', reasonCode: 'already_packed' });
    expect(packed.reason!['zh-CN']).toContain(stored.middles[0]);
  });

  it('switching to a new parent warns when the previous one is partial; middles go into the case', async () => {
    expect(await ws.postScan(station, middle2)).toMatchObject({ effect: { action: 'open_parent', parent: middle2 } });
    expect(await ws.postScan(station, units[2]!)).toMatchObject({ decision: 'accepted', effect: { fill: { partial: true } } });
    const opened = await ws.postScan(station, newCase);
    expect(opened).toMatchObject({ decision: 'accepted', effect: { action: 'open_parent', parent: newCase } });
    expect(opened.effect!.warnings![0]!['zh-CN']).toContain(middle2);
    expect(await ws.postScan(station, middle1)).toMatchObject({ decision: 'accepted', effect: { action: 'pack', units: 2, parent: newCase } });
    expect(await ws.postScan(station, middle2)).toMatchObject({ decision: 'accepted' });
    expect(await json<CodeView>(ws, 'GET', `/api/codes/${newCase}`)).toMatchObject({ children: 2, units: 3 });
  });

  it('unpacks (拆箱) as an event, then re-packs', async () => {
    expect((await context({ mode: 'unpack' })).mode).toBe('unpack');
    expect(await ws.postScan(station, units[0]!)).toMatchObject({ decision: 'accepted', effect: { action: 'unpack', parent: middle1 } });
    expect(await parentOf(units[0]!)).toBeNull();
    expect(await ws.postScan(station, units[0]!)).toMatchObject({ decision: 'rejected', reasonCode: 'not_packed' });

    await context({ mode: 'pack', closeParent: true });
    expect(await ws.postScan(station, middle1)).toMatchObject({ effect: { action: 'open_parent', fill: { filled: 1, capacity: 2 } } });
    const repack = await ws.postScan(station, units[0]!);
    expect(repack).toMatchObject({ decision: 'accepted', effect: { action: 'pack', parent: middle1 } });
    expect(await parentOf(units[0]!)).toBe(middle1);

    const history = (await json<CodeTimelineView>(ws, 'GET', `/api/codes/${units[0]}/history`)).events.filter((h) => h.source === 'pack' && h.via === null);
    expect(history.map((h) => [h.kind, h.parent])).toEqual([
      ['pack', middle1],
      ['unpack', middle1],
      ['pack', middle1],
    ]);
  });

  it('undo of a pack scan takes the child out again; the journal keeps both events', async () => {
    const scan = await ws.postScan(station, units[2]!);
    expect(scan).toMatchObject({ decision: 'rejected', reasonCode: 'already_packed' });
    const last = (await json<Array<{ id: number; decision: string }>>(ws, 'GET', `/api/scans?stationId=${station}&limit=5`)).find((s) => s.decision === 'accepted')!;
    const res = await ws.api(`/api/scans/${last.id}/undo`, { method: 'POST', body: JSON.stringify({ reason: '装错箱' }) });
    expect(res.status).toBe(200);
    expect(await parentOf(units[0]!)).toBeNull();
    const history = (await json<CodeTimelineView>(ws, 'GET', `/api/codes/${units[0]}/history`)).events.filter((h) => h.source === 'pack' && h.via === null);
    expect(history.at(-1)).toMatchObject({ kind: 'unpack', parent: middle1, reason: '装错箱' });
  });
});
