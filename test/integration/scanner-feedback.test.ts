import path from 'node:path';
import { SerialPort } from 'serialport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPtyPair, type PtyPair } from '../../drivers/virtual/pty-pair.js';
import { joinStation, waitFor, type StationClient } from '../helpers/socket.js';
import { startTestWorkstation, tempDir, type TestWorkstation } from '../helpers/workstation.js';

/** The scanner's side of the pty: what the workstation sends back to the scanner. */
async function listen(pty: PtyPair): Promise<{ bytes: number[]; close(): Promise<void> }> {
  const port = new SerialPort({ path: pty.hostPath, baudRate: 9600, autoOpen: false });
  await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
  const bytes: number[] = [];
  port.on('data', (d: Buffer) => bytes.push(...d));
  return { bytes, close: () => new Promise((r) => port.close(() => r())) };
}

const BEEP = [0x16, 0x07, 0x0d];
const count = (bytes: number[]) => bytes.filter((b, i) => b === 0x16 && bytes[i + 1] === 0x07 && bytes[i + 2] === 0x0d).length;

describe('error beep at the scanner (Honeywell host command over serial)', () => {
  let ws: TestWorkstation;
  let client: StationClient;
  let stationId: number;
  const dir = tempDir('tracedock-beep-');

  beforeAll(async () => {
    ws = await startTestWorkstation();
    stationId = (await ws.createStation('发货一号')).id;
    client = await joinStation(ws.url, stationId, ws.session.cookie);
  });
  afterAll(async () => {
    client?.close();
    await ws?.stop();
  });

  it('sends SYN BEL CR after a rejected and after a duplicate scan, nothing after an accepted one', async () => {
    const pty = await createPtyPair(path.join(dir, 'beeping'));
    const scanner = await listen(pty);
    await ws.services.scanners.bind({ transport: 'serial', path: pty.scannerPath, stationId, options: { suffix: 'CR', feedback: 'honeywell' } });

    await pty.write('83857930000879766660\r');
    await client.waitFor(() => client.recorded.find((s) => s.decision === 'accepted'));
    await new Promise((r) => setTimeout(r, 150));
    expect(scanner.bytes).toEqual([]);

    await pty.write('4006381333932\r'); // wrong check digit
    await client.waitFor(() => client.rejected.find((s) => s.reasonCode === 'gtin_check_digit'));
    await waitFor(() => count(scanner.bytes) === 1 || undefined);

    await pty.write('83857930000879766660\r');
    await client.waitFor(() => client.recorded.find((s) => s.decision === 'duplicate'));
    await waitFor(() => count(scanner.bytes) === 2 || undefined);
    expect(scanner.bytes).toEqual([...BEEP, ...BEEP]);
    await scanner.close();
    await pty.close();
  });

  it('sends nothing to a scanner bound without feedback', async () => {
    const pty = await createPtyPair(path.join(dir, 'quiet'));
    const scanner = await listen(pty);
    await ws.services.scanners.bind({ transport: 'serial', path: pty.scannerPath, stationId, options: { suffix: 'CR' } });
    const before = client.rejected.length;
    await pty.write('4006381333932\r');
    await client.waitFor(() => (client.rejected.length > before ? true : undefined));
    await new Promise((r) => setTimeout(r, 200));
    expect(scanner.bytes).toEqual([]);
    await scanner.close();
    await pty.close();
  });
});
