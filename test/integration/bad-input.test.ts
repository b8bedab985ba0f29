import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPtyPair, type PtyPair } from '../../drivers/virtual/pty-pair.js';
import { joinStation, type StationClient } from '../helpers/socket.js';
import { startTestWorkstation, tempDir, type TestWorkstation } from '../helpers/workstation.js';

describe('bad input: clear errors or rejected scans with reasons, server keeps running, nothing half-written', () => {
  let ws: TestWorkstation;
  let pty: PtyPair;
  let client: StationClient;
  let stationId: number;

  beforeAll(async () => {
    ws = await startTestWorkstation();
    const scannerPath = path.join(tempDir('tracedock-bad-'), 'scanner');
    pty = await createPtyPair(scannerPath);
    stationId = (await ws.createStation('收货二号')).id;
    await ws.services.scanners.bind({ transport: 'serial', path: scannerPath, stationId, options: { suffix: 'CR' } });
    client = await joinStation(ws.url, stationId, ws.session.cookie);
  });
  afterAll(async () => {
    client?.close();
    await pty?.close();
    await ws?.stop();
  });

  const rejectedWith = (code: string) => client.waitFor(() => client.rejected.find((s) => s.reasonCode === code));

  it('garbage, NUL bytes and invalid UTF-8 from a scanner are rejected with a reason and kept raw', async () => {
    await pty.write(Uint8Array.from([0x41, 0x42, 0x00, 0x43, 0x44, 0x0d]));
    const nul = await rejectedWith('control_chars');
    expect(nul.rawHex).toBe('4142004344');
    await pty.write(Uint8Array.from([0xff, 0xfe, 0x80, 0x41, 0x0d]));
    const bad = await rejectedWith('invalid_utf8');
    expect(bad.rawHex).toBe('fffe8041');
    expect((await ws.repos.scans.get(bad.id!))?.raw).toEqual(Buffer.from([0xff, 0xfe, 0x80, 0x41]));
    await pty.write('!!\r');
    const junk = await rejectedWith('unknown_format');
    expect(junk.reason?.en).toBeTruthy();
  });

  it('an over-long line (> 4 KiB without a suffix) becomes one rejected scan; the next scan is fine', async () => {
    await pty.write('9'.repeat(10_000) + '\r83857930000000000042\r');
    const long = await rejectedWith('too_long');
    expect(long.rawHex.length).toBe(4096 * 2);
    const next = await client.waitFor(() => client.recorded.find((s) => s.text === '83857930000000000042'));
    expect(next.decision).toBe('accepted');
  });

  it('a flooding scanner: every line is recorded, in order, and the server stays responsive', async () => {
    const n = 500;
    const lines = Array.from({ length: n }, (_, i) => `8385794${String(i).padStart(13, '0')}`);
    await pty.write(lines.join('\r') + '\r');
    await client.waitFor(() => (client.recorded.filter((s) => s.text.startsWith('8385794')).length === n ? true : undefined), 20_000);
    const got = client.recorded.filter((s) => s.text.startsWith('8385794')).map((s) => s.text);
    expect(got).toEqual(lines);
    expect((await fetch(`${ws.url}/api/health`)).status).toBe(200);
  });

  it('HTTP: unknown station, malformed JSON, wrong fields and too-large bodies get stable error codes and write nothing', async () => {
    const before = await ws.repos.scans.total();
    const post = (url: string, body: string) => ws.api(url, { method: 'POST', body });
    const cases: Array<[string, string, number, string]> = [
      [`/api/stations/9999/scans`, JSON.stringify({ raw: 'X123456' }), 404, 'STATION_NOT_FOUND'],
      [`/api/stations/abc/scans`, JSON.stringify({ raw: 'X123456' }), 400, 'VALIDATION_FAILED'],
      [`/api/stations/${stationId}/scans`, '{"raw": "X12', 400, 'BAD_JSON'],
      [`/api/stations/${stationId}/scans`, JSON.stringify({ raw: 5 }), 400, 'VALIDATION_FAILED'],
      [`/api/stations/${stationId}/scans`, JSON.stringify({ raw: 'A', extra: 1 }), 400, 'VALIDATION_FAILED'],
      [`/api/stations/${stationId}/scans`, JSON.stringify({ raw: 'x'.repeat(300_000) }), 413, 'PAYLOAD_TOO_LARGE'],
      [`/api/stations`, JSON.stringify({ name: '' }), 400, 'VALIDATION_FAILED'],
      [`/api/scanners`, JSON.stringify({ transport: 'serial', stationId }), 400, 'VALIDATION_FAILED'],
      [`/api/scanners`, JSON.stringify({ transport: 'serial', path: '/dev/null', stationId: 9999 }), 404, 'STATION_NOT_FOUND'],
    ];
    for (const [url, body, status, code] of cases) {
      const res = await post(url, body);
      const json = (await res.json()) as { error: { code: string; message: string; messages: { en: string } } };
      expect({ url, status: res.status, code: json.error.code }).toEqual({ url, status, code });
      expect(json.error.message.length).toBeGreaterThan(0);
      expect(json.error.messages.en.length).toBeGreaterThan(0);
    }
    expect(await ws.repos.scans.total()).toBe(before);
    expect((await ws.api('/api/nope')).status).toBe(404);
    expect((await fetch(`${ws.url}/api/nope`)).status).toBe(401); // unknown to a stranger: not even "not found"
  });

  it('socket: malformed commands are acknowledged with an error, never crash the server', async () => {
    const emit = <T>(ev: 'scan.submit' | 'station.join', payload: unknown) =>
      new Promise<T>((resolve) => (client.socket.emit as (e: string, p: unknown, cb: (r: T) => void) => void)(ev, payload, resolve));
    const r1 = await emit<{ ok: boolean; error?: { code: string } }>('scan.submit', { stationId: 'x', raw: 1 });
    expect(r1).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const r2 = await emit<{ ok: boolean; error?: { code: string } }>('station.join', { stationId: 424242 });
    expect(r2).toMatchObject({ ok: false, error: { code: 'STATION_NOT_FOUND' } });
    const r3 = await emit<{ ok: boolean; data?: { decision: string } }>('scan.submit', { stationId, raw: '83857950000000000042', source: 'wedge' });
    expect(r3).toMatchObject({ ok: true, data: { decision: 'accepted' } });
  });
});
