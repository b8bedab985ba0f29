import { EventEmitter } from 'node:events';
import { decodeUtf8 } from '../text.js';
import type { DriverEvents, RawScan, ScannerDriver } from '../types.js';
import { HONEYWELL_BEEP_HID, type FeedbackProtocol } from '../feedback.js';
import type { HidBackend, HidDeviceInfo, HidHandle } from './backend.js';

/** Turns HID input reports into scans; one per mode (POS or keyboard). */
export interface ReportDecoder {
  push(report: Uint8Array, receivedAt: number): { scans: Array<Omit<RawScan, 'deviceId' | 'text' | 'validUtf8'>>; error?: string };
  reset(): void;
}

export interface HidMatch {
  vendorId: number;
  productId: number;
  /** Preferred identity across replugs; the hidraw path changes when the device comes back. */
  serialNumber?: string;
  path?: string;
  usagePage?: number;
}

export function hidDeviceId(d: { vendorId: number; productId: number; serialNumber?: string | null; path: string }): string {
  const hex = (n: number) => n.toString(16).padStart(4, '0');
  return `hid:${hex(d.vendorId)}:${hex(d.productId)}:${d.serialNumber || d.path}`;
}

export class HidScannerDriver extends EventEmitter<DriverEvents> implements ScannerDriver {
  private handle: HidHandle | undefined;
  private closingByUs = false;

  constructor(
    readonly deviceId: string,
    readonly transport: 'hid-pos' | 'hid-keyboard',
    private readonly match: HidMatch,
    private readonly backend: HidBackend,
    private readonly decoder: ReportDecoder,
    private readonly feedback: FeedbackProtocol = 'none',
  ) {
    super();
  }

  get isOpen(): boolean {
    return this.handle !== undefined;
  }

  async open(): Promise<void> {
    if (this.handle) return;
    this.closingByUs = false;
    this.emit('status', { deviceId: this.deviceId, state: 'connecting' });
    const info = pickDevice(await this.backend.devices(), this.match);
    if (!info) throw new Error('device not present (unplugged?)');
    let handle: HidHandle;
    try {
      handle = await this.backend.open(info.path);
    } catch (err) {
      const msg = (err as Error).message;
      throw new Error(/permission|EACCES/i.test(msg) ? `${info.path}: permission denied (udev rule for hidraw needed)` : `${info.path}: ${msg}`);
    }
    this.handle = handle;
    this.decoder.reset();
    handle.on('data', (data: Buffer) => this.onReport(data));
    handle.on('error', (err: Error) => this.lost(err.message || 'device error'));
    this.emit('status', { deviceId: this.deviceId, state: 'online' });
  }

  async signalError(): Promise<void> {
    if (this.feedback !== 'honeywell' || !this.handle?.write) return;
    try {
      await this.handle.write(HONEYWELL_BEEP_HID);
    } catch (err) {
      this.emit('warning', { deviceId: this.deviceId, message: `beeper command failed: ${(err as Error).message}` });
    }
  }

  async close(): Promise<void> {
    this.closingByUs = true;
    const h = this.handle;
    this.handle = undefined;
    if (h) {
      h.removeAllListeners();
      await h.close();
    }
  }

  private onReport(data: Uint8Array): void {
    const receivedAt = Date.now();
    const { scans, error } = this.decoder.push(data, receivedAt);
    if (error) this.emit('warning', { deviceId: this.deviceId, message: error });
    for (const s of scans) this.emit('scan', { ...s, deviceId: this.deviceId, ...decodeUtf8(s.bytes) });
  }

  private lost(reason: string): void {
    if (this.closingByUs || !this.handle) return;
    const h = this.handle;
    this.handle = undefined;
    h.removeAllListeners();
    h.on('error', () => {});
    void Promise.resolve(h.close()).catch(() => {});
    this.decoder.reset();
    this.emit('status', { deviceId: this.deviceId, state: 'offline', reason });
    this.emit('disconnected', { deviceId: this.deviceId, reason });
  }
}

function pickDevice(devices: HidDeviceInfo[], m: HidMatch): HidDeviceInfo | undefined {
  const candidates = devices.filter(
    (d) => d.vendorId === m.vendorId && d.productId === m.productId && (m.usagePage === undefined || d.usagePage === m.usagePage),
  );
  if (m.serialNumber) return candidates.find((d) => d.serialNumber === m.serialNumber);
  return candidates.find((d) => d.path === m.path) ?? (candidates.length === 1 ? candidates[0] : undefined);
}
