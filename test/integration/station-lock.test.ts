import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack } from '../../server/contract/errors.js';
import { createPtyPair, type PtyPair } from '../../drivers/virtual/pty-pair.js';
import { joinStation, type StationClient } from '../helpers/socket.js';
import { startTestWorkstation, tempDir, type TestWorkstation } from '../helpers/workstation.js';

type UnlockAck = Ack<{ operatorId: number; displayName: string }>;

describe('station screen lock and unlock by badge or PIN', () => {
  let ws: TestWorkstation;
  let client: StationClient;
  let pty: PtyPair;
  let stationId: number;
  let worker: { id: number };
  let outsider: { id: number };
  const emit = <T>(ev: string, payload: unknown) =>
    new Promise<T>((resolve) => (client.socket.emit as (e: string, p: unknown, cb: (r: T) => void) => void)(ev, payload, resolve));
  const scanned = async (code: string) => {
    await pty.write(`${code}\r`);
    return client.waitFor(() => [...client.recorded, ...client.rejected].find((s) => s.text === code));
  };

  beforeAll(async () => {
    ws = await startTestWorkstation();
    // A query desk: the plain journal, so the test is about who may scan, not about dock rules.
    stationId = (await ws.createStation('查询锁屏')).id;
    const post = async (path: string, body: unknown) => (await ws.api(path, { method: 'POST', body: JSON.stringify(body) })).json();
    worker = (await post('/api/operators', { username: 'shouhuo07', displayName: '收货员七', password: 'Recv#2026abc' })) as { id: number };
    outsider = (await post('/api/operators', { username: 'caiwu01', displayName: '财务一', password: 'Fin#2026abcd' })) as { id: number };
    for (const op of [worker, outsider]) await post('/api/bindings', { operatorId: op.id, unitId: ws.session.unitId });
    await post('/api/grants', { operatorId: worker.id, unitId: ws.session.unitId, business: 'query' });
    await ws.api(`/api/operators/${worker.id}/station-credentials`, { method: 'PUT', body: JSON.stringify({ badge: 'BADGE-0007', pin: '4711' }) });
    await ws.api(`/api/operators/${outsider.id}/station-credentials`, { method: 'PUT', body: JSON.stringify({ badge: 'BADGE-0099' }) });
    pty = await createPtyPair(path.join(tempDir('tracedock-lock-'), 'scanner'));
    await ws.services.scanners.bind({ transport: 'serial', path: pty.scannerPath, stationId, options: { suffix: 'CR' } });
    client = await joinStation(ws.url, stationId, ws.session.cookie);
  });
  afterAll(async () => {
    client?.close();
    await pty?.close();
    await ws?.stop();
  });

  it('locked: hardware scans are kept but not accepted; a badge unlocks and later scans carry the badge owner', async () => {
    expect(await emit<Ack<null>>('station.lock', { stationId })).toEqual({ ok: true, data: null });
    expect(await scanned('83857930000000007001')).toMatchObject({ decision: 'rejected', reasonCode: 'station_unattended' });

    expect(await emit<UnlockAck>('station.unlock', { stationId, badge: 'BADGE-WRONG' })).toMatchObject({ ok: false, error: { code: 'UNLOCK_FAILED' } });
    const denied = await emit<UnlockAck>('station.unlock', { stationId, badge: 'BADGE-0099' });
    expect(denied).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(!denied.ok && denied.error.message).toMatch(/查询导出/);

    expect(await emit<UnlockAck>('station.unlock', { stationId, badge: 'BADGE-0007' })).toEqual({ ok: true, data: { operatorId: worker.id, displayName: '收货员七' } });
    expect(await scanned('83857930000000007002')).toMatchObject({ decision: 'accepted', operatorId: worker.id, unitId: ws.session.unitId });
  });

  it('a PIN unlocks too; wrong PINs count toward the lockout', async () => {
    await emit('station.lock', { stationId });
    expect(await emit<UnlockAck>('station.unlock', { stationId, operatorId: worker.id, pin: '0000' })).toMatchObject({ ok: false, error: { code: 'UNLOCK_FAILED' } });
    expect(await emit<UnlockAck>('station.unlock', { stationId, operatorId: worker.id, pin: '4711' })).toMatchObject({ ok: true, data: { operatorId: worker.id } });
    const audit = (await (await ws.api('/api/audit?limit=50')).json()) as Array<{ action: string }>;
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['station.unlock_failed', 'station.unlocked']));
  });
});
