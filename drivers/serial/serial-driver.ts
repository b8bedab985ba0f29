import { EventEmitter } from 'node:events';
import { SerialPort } from 'serialport';
import { decodeUtf8 } from '../text.js';
import type { DriverEvents, ScannerDriver } from '../types.js';
import { HONEYWELL_BEEP_SERIAL, type FeedbackProtocol } from '../feedback.js';
import { SuffixFramer, type Frame, type SuffixName } from './suffix-framer.js';

export interface SerialDriverOptions {
  path: string;
  deviceId?: string;
  baudRate?: number;
  suffix?: SuffixName;
  /**
   * Quiet time after which a partial frame is taken as complete. Default 50 ms without a suffix;
   * 300 ms with one, where it only rescues a lost suffix and must never split a busy stream.
   */
  interByteTimeoutMs?: number;
  feedback?: FeedbackProtocol;
}

type PortError = Error & { disconnected?: boolean; code?: string };

// A pty whose master side went away, or a USB-CDC scanner pulled out, surfaces as one of these
// rather than as a clean `close(disconnected)` on some kernels.
const UNPLUG_CODES = new Set(['EIO', 'ENXIO', 'ENODEV', 'EBADF']);

export class SerialScannerDriver extends EventEmitter<DriverEvents> implements ScannerDriver {
  readonly transport = 'serial' as const;
  readonly deviceId: string;
  private port: SerialPort | undefined;
  private framer: SuffixFramer;
  private timer: NodeJS.Timeout | undefined;
  private chunksSeen = 0;
  private closingByUs = false;
  private readonly opts: Required<Omit<SerialDriverOptions, 'deviceId'>>;

  constructor(options: SerialDriverOptions) {
    super();
    this.opts = {
      path: options.path,
      baudRate: options.baudRate ?? 9600,
      suffix: options.suffix ?? 'CR',
      interByteTimeoutMs: options.interByteTimeoutMs ?? ((options.suffix ?? 'CR') === 'none' ? 50 : 300),
      feedback: options.feedback ?? 'none',
    };
    this.deviceId = options.deviceId ?? `serial:${options.path}`;
    this.framer = new SuffixFramer(this.opts.suffix);
  }

  get isOpen(): boolean {
    return this.port?.isOpen ?? false;
  }

  async open(): Promise<void> {
    if (this.isOpen) return;
    this.closingByUs = false;
    this.framer = new SuffixFramer(this.opts.suffix);
    this.emit('status', { deviceId: this.deviceId, state: 'connecting' });
    const port = new SerialPort({ path: this.opts.path, baudRate: this.opts.baudRate, autoOpen: false, lock: true });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(describeOpenError(err, this.opts.path)) : resolve())));
    this.port = port;
    port.on('data', (chunk: Buffer) => this.onData(chunk));
    port.on('error', (err: PortError) => this.onPortError(err));
    port.on('close', (err: PortError | null) => this.onClose(err));
    this.emit('status', { deviceId: this.deviceId, state: 'online' });
  }

  async signalError(): Promise<void> {
    const port = this.port;
    if (!port?.isOpen || this.opts.feedback !== 'honeywell') return;
    await new Promise<void>((resolve) => port.write(Buffer.from(HONEYWELL_BEEP_SERIAL), () => resolve()));
  }

  async close(): Promise<void> {
    this.closingByUs = true;
    this.flushPending();
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    port?.removeAllListeners();
  }

  private onData(chunk: Buffer): void {
    const receivedAt = Date.now();
    this.chunksSeen++;
    for (const frame of this.framer.push(chunk)) this.emitFrame(frame, receivedAt);
    clearTimeout(this.timer);
    if (this.framer.pending > 0) this.timer = setTimeout(() => this.quietCheck(this.chunksSeen), this.opts.interByteTimeoutMs);
  }

  /**
   * Timers run before I/O callbacks in the event loop: after a stall (a big burst being committed)
   * the timer can fire while the rest of the frame already waits in the kernel. Let pending reads
   * land first (setImmediate runs after the poll phase) and flush only if nothing arrived.
   */
  private quietCheck(seenAtArm: number): void {
    setImmediate(() => {
      if (this.chunksSeen === seenAtArm) this.flushPending();
    });
  }

  private flushPending(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const frame = this.framer.flush();
    if (frame) this.emitFrame(frame, Date.now());
  }

  private emitFrame(frame: Frame, receivedAt: number): void {
    const { text, validUtf8 } = decodeUtf8(frame.bytes);
    this.emit('scan', { deviceId: this.deviceId, bytes: frame.bytes, text, validUtf8, terminatedBy: frame.terminatedBy, receivedAt });
    if (frame.terminatedBy === 'overflow') {
      this.emit('warning', { deviceId: this.deviceId, message: `line longer than ${frame.bytes.length} bytes without a suffix` });
    }
  }

  private onPortError(err: PortError): void {
    if (err.disconnected || (err.code && UNPLUG_CODES.has(err.code))) {
      this.lost(err.message);
      return;
    }
    this.emit('warning', { deviceId: this.deviceId, message: err.message });
  }

  private onClose(err: PortError | null): void {
    if (this.closingByUs) return;
    this.lost(err?.message ?? 'port closed');
  }

  private lost(reason: string): void {
    if (this.closingByUs || !this.port) return;
    this.flushPending();
    const port = this.port;
    this.port = undefined;
    port.removeAllListeners();
    port.on('error', () => {}); // a dying port may still report; nobody is listening any more
    if (port.isOpen) port.close(() => {});
    this.emit('status', { deviceId: this.deviceId, state: 'offline', reason });
    this.emit('disconnected', { deviceId: this.deviceId, reason });
  }
}

function describeOpenError(err: Error, path: string): Error {
  const msg = err.message;
  if (/ENOENT|No such file/i.test(msg)) return new Error(`${path}: device not present (unplugged?)`);
  if (/EACCES|Permission denied/i.test(msg)) return new Error(`${path}: permission denied (add the user to group dialout)`);
  if (/lock|EBUSY|Resource temporarily unavailable/i.test(msg)) return new Error(`${path}: in use by another program`);
  return new Error(`${path}: ${msg}`);
}
