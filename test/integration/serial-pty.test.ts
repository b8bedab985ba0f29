import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPtyPair, type PtyPair } from '../../drivers/virtual/pty-pair.js';
import { joinStation, type StationClient } from '../helpers/socket.js';
import { startTestWorkstation, tempDir, type TestWorkstation } from '../helpers/workstation.js';

describe('serial scanner on a real pseudo-terminal (socat)', () => {
  let ws: TestWorkstation;
  let pty: PtyPair;
  let client: StationClient;
  let stationId: number;
  const scannerPath = path.join(tempDir('tracedock-pty-'), 'scanner0');

  beforeAll(async () => {
    ws = await startTestWorkstation();
    pty = await createPtyPair(scannerPath);
    stationId = (await ws.createStation('收货一号')).id;
    const res = await ws.api('/api/scanners', {
      method: 'POST',
      body: JSON.stringify({ transport: 'serial', path: scannerPath, stationId, label: 'dock-1', options: { suffix: 'CR' } }),
    });
    expect(res.status).toBe(201);
    client = await joinStation(ws.url, stationId, ws.session.cookie);
  });

  afterAll(async () => {
    client?.close();
    await pty?.close();
    await ws?.stop();
  });

  it('bytes written with a CR suffix are stored with their raw bytes and reach the station room', async () => {
    expect(client.snapshot.scanners.map((s) => s.state)).toEqual(['online']);
    await pty.write('83857930000879766660\r');
    const scan = await client.waitFor(() => client.recorded.find((s) => s.text === '83857930000879766660'));
    expect(scan.decision).toBe('accepted');
    expect(scan.source).toBe('serial');
    expect(scan.deviceId).toBe(`serial:${scannerPath}`);

    const stored = await ws.repos.scans.get(scan.id!);
    expect(stored?.raw.toString('hex')).toBe(Buffer.from('83857930000879766660').toString('hex'));
    expect(stored?.stationId).toBe(stationId);
  });

  it('keeps GS and exact raw bytes of a GS1 DataMatrix scan, and shows what it decoded', async () => {
    await pty.write(']d2010950600013435221SN0001\x1d10AB12\x1d17281231\r');
    const scan = await client.waitFor(() => client.recorded.find((s) => s.text.includes('0109506000134352')));
    expect(scan.rawHex).toBe(Buffer.from(']d2010950600013435221SN0001\x1d10AB12\x1d17281231').toString('hex'));
    expect(scan.code).toBe('010950600013435221SN0001');
    expect(scan.fields).toMatchObject({ kind: 'gs1', gtin: '09506000134352', serial: 'SN0001', batch: 'AB12', expiry: '2028-12-31' });
  });

  it('closing the pty makes the scanner offline; re-creating it brings it back online and scans arrive', async () => {
    await pty.close();
    const offline = await client.waitFor(() => client.statuses.find((s) => s.state === 'offline'));
    expect(offline.reason).toBeTruthy();
    expect(ws.services.scanners.list()[0]?.state).toBe('offline');

    const seen = client.statuses.length;
    pty = await createPtyPair(scannerPath);
    await client.waitFor(() => client.statuses.slice(seen).find((s) => s.state === 'online'), 10_000);

    await pty.write('83857930000879766677\r');
    const later = await client.waitFor(() => client.recorded.find((s) => s.text === '83857930000879766677'));
    expect(later.decision).toBe('accepted');
    expect(ws.services.scanners.list()[0]?.state).toBe('online');
  });
});
