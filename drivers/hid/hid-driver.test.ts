import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { discoverDevices } from '../discovery.js';
import type { RawScan } from '../types.js';
import type { HidBackend, HidDeviceInfo, HidHandle } from './backend.js';
import { keyboardReportDecoder, posReportDecoder } from './decoders.js';
import { HidScannerDriver, hidDeviceId } from './hid-driver.js';

// No USB scanner can exist in this sandbox: the backend replays recorded reports (DESIGN.md §6).
class ReplayHandle extends EventEmitter implements HidHandle {
  closed = false;
  written: number[][] = [];
  write(data: number[]) {
    this.written.push(data);
    return data.length;
  }
  close() {
    this.closed = true;
  }
}

function backend(devices: HidDeviceInfo[]) {
  const handles: ReplayHandle[] = [];
  const b: HidBackend = {
    devices: async () => devices,
    open: async () => {
      const h = new ReplayHandle();
      handles.push(h);
      return h;
    },
  };
  return { b, handles };
}

const honeywell: HidDeviceInfo = { path: '/dev/hidraw3', vendorId: 0x0c2e, productId: 0x0b61, serialNumber: '21012B0123', usagePage: 0x8c, usage: 2 };
const kbd: HidDeviceInfo = { path: '/dev/hidraw4', vendorId: 0x1eab, productId: 0x0013, usagePage: 1, usage: 6 };

describe('HID scanner driver (recorded reports)', () => {
  it('HID POS: emits one scan per report message with AIM and code id', async () => {
    const { b, handles } = backend([honeywell]);
    const d = new HidScannerDriver(hidDeviceId(honeywell), 'hid-pos', { vendorId: 0x0c2e, productId: 0x0b61, serialNumber: '21012B0123' }, b, posReportDecoder());
    const scans: RawScan[] = [];
    d.on('scan', (s) => scans.push(s));
    await d.open();
    handles[0]!.emit('data', Buffer.from([2, 8, 93, 90, 54, 82, 69, 86, 73, 78, 70, 6, 46, ...new Array(48).fill(0), 54, 0, 0]));
    expect(scans).toHaveLength(1);
    expect(scans[0]).toMatchObject({ text: 'REVINF\x06.', aim: ']Z6', codeId: '6', validUtf8: true, deviceId: 'hid:0c2e:0b61:21012B0123' });
  });

  it('keyboard mode: the recorded 6957842208856 sequence becomes one scan', async () => {
    const { b, handles } = backend([kbd]);
    const d = new HidScannerDriver(hidDeviceId(kbd), 'hid-keyboard', { vendorId: 0x1eab, productId: 0x13, path: kbd.path }, b, keyboardReportDecoder());
    const scans: RawScan[] = [];
    d.on('scan', (s) => scans.push(s));
    await d.open();
    const fixture = JSON.parse(fs.readFileSync(new URL('../../test/fixtures/hid/keyboard-6957842208856.json', import.meta.url), 'utf8')) as { reports: string[] };
    for (const r of fixture.reports) handles[0]!.emit('data', Buffer.from(r, 'hex'));
    expect(scans.map((s) => s.text)).toEqual(['6957842208856']);
  });

  it('a device error is reported as disconnected (unplug); our own close is not', async () => {
    const { b, handles } = backend([honeywell]);
    const d = new HidScannerDriver('x', 'hid-pos', { vendorId: 0x0c2e, productId: 0x0b61, serialNumber: '21012B0123' }, b, posReportDecoder());
    const lost: string[] = [];
    d.on('disconnected', (e) => lost.push(e.reason));
    await d.open();
    handles[0]!.emit('error', new Error('could not read from HID device'));
    expect(lost).toEqual(['could not read from HID device']);
    expect(handles[0]!.closed).toBe(true);
    await d.open();
    await d.close();
    expect(lost).toHaveLength(1);
  });

  it('finds the device again by serial number after a replug renamed its hidraw path', async () => {
    const moved = { ...honeywell, path: '/dev/hidraw9' };
    const { b } = backend([kbd, moved]);
    const d = new HidScannerDriver('x', 'hid-pos', { vendorId: 0x0c2e, productId: 0x0b61, serialNumber: '21012B0123', path: '/dev/hidraw3' }, b, posReportDecoder());
    await expect(d.open()).resolves.toBeUndefined();
  });

  it('sends the Honeywell beeper command as an HID output report only when feedback is configured', async () => {
    const { b, handles } = backend([honeywell]);
    const match = { vendorId: 0x0c2e, productId: 0x0b61, serialNumber: '21012B0123' };
    const quiet = new HidScannerDriver('q', 'hid-pos', match, b, posReportDecoder());
    await quiet.open();
    await quiet.signalError();
    expect(handles[0]!.written).toEqual([]);
    const beeping = new HidScannerDriver('b', 'hid-pos', match, b, posReportDecoder(), 'honeywell');
    await beeping.open();
    await beeping.signalError();
    expect(handles[1]!.written).toEqual([[0xfd, 0x03, 0x16, 0x07, 0x0d]]);
  });

  it('open() explains a missing device instead of crashing', async () => {
    const { b } = backend([]);
    const d = new HidScannerDriver('x', 'hid-pos', { vendorId: 1, productId: 2, serialNumber: 'S' }, b, posReportDecoder());
    await expect(d.open()).rejects.toThrow(/not present/);
  });
});

describe('discovery', () => {
  it('lists HID POS and keyboard-mode scanners with VID/PID, usage page and a bindable id', async () => {
    const { b } = backend([honeywell, kbd, { path: '/dev/hidraw0', vendorId: 0x46d, productId: 0xc077, usagePage: 1, usage: 2 }]);
    const found = await discoverDevices(b);
    const hid = found.devices.filter((d) => d.transport !== 'serial');
    expect(hid.map((d) => [d.transport, d.vendorId, d.productId, d.usagePage])).toEqual([
      ['hid-pos', '0c2e', '0b61', 0x8c],
      ['hid-keyboard', '1eab', '0013', 1],
    ]);
    expect(hid[0]!.deviceId).toBe('hid:0c2e:0b61:21012B0123');
    expect(found.hid).toEqual({ available: true, reason: null });
  });

  it('says why HID is unavailable when listing fails (permissions) instead of throwing', async () => {
    const failing: HidBackend = { devices: async () => Promise.reject(new Error('EACCES: permission denied')), open: async () => Promise.reject(new Error('x')) };
    const found = await discoverDevices(failing);
    expect(found.hid.available).toBe(false);
    expect(found.hid.reason).toMatch(/udev rule/);
  });
});
