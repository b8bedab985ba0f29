import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack } from '../../server/contract/errors.js';
import type { ScanView } from '../../server/contract/views.js';
import { joinStation, type StationClient } from '../helpers/socket.js';
import { startTestWorkstation, type TestWorkstation } from '../helpers/workstation.js';

describe('undo of a scan: a compensating event with a reason, never a deletion', () => {
  let ws: TestWorkstation;
  let client: StationClient;
  let stationId: number;
  const undoneEvents: ScanView[] = [];
  const undo = (id: number | null, body: unknown) =>
    ws.api(`/api/scans/${id}/undo`, { method: 'POST', body: JSON.stringify(body) });

  beforeAll(async () => {
    ws = await startTestWorkstation();
    stationId = (await ws.createStation('收货撤销')).id;
    client = await joinStation(ws.url, stationId, ws.session.cookie);
    client.socket.on('scan.undone', (s) => undoneEvents.push(s));
  });
  afterAll(async () => {
    client?.close();
    await ws?.stop();
  });

  it('undoes an accepted scan: journal kept, undo recorded, room told, the code can be scanned again', async () => {
    const first = await ws.postScan(stationId, '83857930000879766660');
    const res = await undo(first.id, { reason: '扫错了药盒' });
    expect(res.status).toBe(200);
    const undone = (await res.json()) as ScanView;
    expect(undone.undone?.reason).toBe('扫错了药盒');
    expect(undone.decision).toBe('accepted'); // the original fact stays as it was

    const told = await client.waitFor(() => undoneEvents.find((s) => s.id === first.id));
    expect(told.undone?.reason).toBe('扫错了药盒');
    expect(await ws.db.knex('scan_events').where({ id: first.id }).first()).toBeDefined();
    expect(await ws.db.knex('scan_undos').where({ scan_id: first.id }).first()).toMatchObject({ reason: '扫错了药盒', source: 'http' });

    const again = await ws.postScan(stationId, '83857930000879766660');
    expect(again.decision).toBe('accepted');
    const snap = await ws.services.stations.snapshot(stationId);
    expect(snap.counters).toMatchObject({ accepted: 1, undone: 1 });
    expect(snap.recent.find((s) => s.id === first.id)?.undone?.reason).toBe('扫错了药盒');
  });

  it('refuses what cannot be undone, with stable codes, and writes nothing', async () => {
    const a = await ws.postScan(stationId, '83857930000879766677');
    const dup = await ws.postScan(stationId, '83857930000879766677');
    const bad = await ws.postScan(stationId, '4006381333932');
    const before = await ws.db.knex('scan_undos').count({ n: '*' }).first();
    const cases: Array<[number | null, unknown, number, string]> = [
      [dup.id, { reason: 'x' }, 409, 'SCAN_NOT_UNDOABLE'],
      [bad.id, { reason: 'x' }, 409, 'SCAN_NOT_UNDOABLE'],
      [a.id, { reason: '  ' }, 400, 'VALIDATION_FAILED'],
      [a.id, {}, 400, 'VALIDATION_FAILED'],
      [999_999, { reason: 'x' }, 404, 'SCAN_NOT_FOUND'],
    ];
    for (const [id, body, status, code] of cases) {
      const res = await undo(id, body);
      expect({ id, status: res.status, code: ((await res.json()) as { error: { code: string } }).error.code }).toEqual({ id, status, code });
    }
    expect(await ws.db.knex('scan_undos').count({ n: '*' }).first()).toEqual(before);
    expect((await undo(a.id, { reason: 'ok' })).status).toBe(200);
    expect(((await (await undo(a.id, { reason: 'again' })).json()) as { error: { code: string } }).error.code).toBe('SCAN_ALREADY_UNDONE');
  });

  it('works over the socket command, only for scans of the named station', async () => {
    const other = (await ws.createStation('另一个工位')).id;
    const s = await ws.postScan(stationId, '83857930000879766688');
    const emit = (payload: unknown) =>
      new Promise<Ack<ScanView>>((resolve) => (client.socket.emit as (e: string, p: unknown, cb: (r: Ack<ScanView>) => void) => void)('scan.undo', payload, resolve));
    expect(await emit({ stationId: other, scanId: s.id, reason: 'x' })).toMatchObject({ ok: false, error: { code: 'SCAN_NOT_FOUND' } });
    expect(await emit({ stationId, scanId: s.id, reason: '药盒破损' })).toMatchObject({ ok: true, data: { undone: { reason: '药盒破损' } } });
  });

  it('the undo journal is append-only too', async () => {
    await expect(ws.db.knex('scan_undos').update({ reason: 'rewritten' })).rejects.toThrow(/append-only/);
    await expect(ws.db.knex('scan_undos').del()).rejects.toThrow(/append-only/);
  });

});
