import { EventEmitter } from 'node:events';
import type { DriverEvents, ScannerDriver } from '../types.js';

export interface VirtualScannerOptions {
  deviceId: string;
  /** Lines scanned one after another, every intervalMs (a demo dock without hardware). */
  script?: readonly string[];
  intervalMs?: number;
  loop?: boolean;
}

const encoder = new TextEncoder();

/** A scanner that exists only in software: scripted demo lines, or `scan()` from code. */
export class VirtualScannerDriver extends EventEmitter<DriverEvents> implements ScannerDriver {
  readonly transport = 'virtual' as const;
  readonly deviceId: string;
  private timer: NodeJS.Timeout | undefined;
  private index = 0;
  private open_ = false;

  constructor(private readonly opts: VirtualScannerOptions) {
    super();
    this.deviceId = opts.deviceId;
  }

  get isOpen(): boolean {
    return this.open_;
  }

  async open(): Promise<void> {
    this.open_ = true;
    this.emit('status', { deviceId: this.deviceId, state: 'online' });
    const script = this.opts.script ?? [];
    if (script.length > 0) {
      this.timer = setInterval(() => {
        if (this.index >= script.length) {
          if (!this.opts.loop) return void clearInterval(this.timer);
          this.index = 0;
        }
        this.scan(script[this.index++] ?? '');
      }, this.opts.intervalMs ?? 2000);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.open_ = false;
  }

  scan(text: string): void {
    if (!this.open_) throw new Error('virtual scanner is closed');
    this.emit('scan', { deviceId: this.deviceId, bytes: encoder.encode(text), text, validUtf8: true, receivedAt: Date.now(), terminatedBy: 'suffix' });
  }
}
