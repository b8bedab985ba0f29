import { EventEmitter } from 'node:events';
import type { DriverBinding, DriverFactory } from './factory.js';
import type { RawScan, ScannerDriver, ScannerState, TransportKind } from './types.js';

export interface SupervisedBinding extends DriverBinding {
  scannerId: number;
  stationId: number;
  label: string | null;
}

export interface SupervisedStatus {
  scannerId: number;
  deviceId: string;
  stationId: number;
  transport: TransportKind;
  label: string | null;
  path: string | null;
  state: ScannerState;
  reason: string | null;
  lastScanAt: number | null;
  scansPerMinute: number;
  since: number;
}

export interface StationScan extends RawScan {
  stationId: number;
  transport: TransportKind;
}

export interface SupervisorEvents {
  scan: [StationScan];
  status: [SupervisedStatus];
}

export interface SupervisorLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

interface Entry {
  binding: SupervisedBinding;
  driver: ScannerDriver | undefined;
  status: SupervisedStatus;
  retry: NodeJS.Timeout | undefined;
  attempt: number;
  recentScans: number[];
  repeatedFailures: number;
  lastStatusEmit: number;
}

const MINUTE = 60_000;

/**
 * Owns every bound driver. Tells "we closed it" (unbind, shutdown: no reconnect) from "it went
 * away" (unplug: reconnect with backoff, forever, without restarting the process), reports one
 * status per change, and logs a repeating failure once instead of every retry.
 */
export class ScannerSupervisor extends EventEmitter<SupervisorEvents> {
  private entries = new Map<string, Entry>();
  private stopped = false;

  constructor(
    private readonly factory: DriverFactory,
    private readonly log: SupervisorLogger,
    private readonly backoff: BackoffPolicy = { initialMs: 250, maxMs: 2000 },
  ) {
    super();
  }

  statuses(): SupervisedStatus[] {
    return [...this.entries.values()].map((e) => this.withRate(e));
  }

  status(deviceId: string): SupervisedStatus | undefined {
    const e = this.entries.get(deviceId);
    return e ? this.withRate(e) : undefined;
  }

  /** Starts (or restarts with new settings) the driver of a binding; never throws for a missing device. */
  async bind(binding: SupervisedBinding): Promise<SupervisedStatus> {
    await this.unbind(binding.deviceId);
    const now = Date.now();
    const entry: Entry = {
      binding,
      driver: undefined,
      status: {
        scannerId: binding.scannerId,
        deviceId: binding.deviceId,
        stationId: binding.stationId,
        transport: binding.transport,
        label: binding.label,
        path: binding.path,
        state: 'connecting',
        reason: null,
        lastScanAt: null,
        scansPerMinute: 0,
        since: now,
      },
      retry: undefined,
      attempt: 0,
      recentScans: [],
      repeatedFailures: 0,
      lastStatusEmit: 0,
    };
    this.entries.set(binding.deviceId, entry);
    await this.connect(entry);
    return this.withRate(entry);
  }

  async unbind(deviceId: string): Promise<void> {
    const e = this.entries.get(deviceId);
    if (!e) return;
    this.entries.delete(deviceId);
    clearTimeout(e.retry);
    const d = e.driver;
    e.driver = undefined;
    if (d) {
      d.removeAllListeners();
      await d.close().catch(() => {});
    }
  }

  /** Error beep at the scanner that produced a rejected or duplicate scan, if it can. */
  async signalError(deviceId: string): Promise<void> {
    await this.entries.get(deviceId)?.driver?.signalError?.();
  }

  async closeAll(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.entries.keys()].map((id) => this.unbind(id)));
  }

  private async connect(e: Entry): Promise<void> {
    if (this.stopped || this.entries.get(e.binding.deviceId) !== e) return;
    let driver: ScannerDriver | undefined;
    try {
      driver = await this.factory(e.binding);
      this.attach(e, driver);
      await driver.open();
      if (this.entries.get(e.binding.deviceId) !== e) return void (await driver.close());
      e.attempt = 0;
      if (e.repeatedFailures > 0) this.log.info({ deviceId: e.binding.deviceId, failures: e.repeatedFailures }, 'scanner back online');
      e.repeatedFailures = 0;
      this.setState(e, 'online', null);
    } catch (err) {
      driver?.removeAllListeners();
      if (e.driver === driver) e.driver = undefined;
      this.failed(e, (err as Error).message);
    }
  }

  private attach(e: Entry, driver: ScannerDriver): void {
    e.driver = driver;
    driver.on('scan', (scan) => this.onScan(e, scan));
    driver.on('warning', ({ message }) => this.log.warn({ deviceId: e.binding.deviceId }, message));
    driver.on('disconnected', ({ reason }) => {
      driver.removeAllListeners();
      if (e.driver === driver) e.driver = undefined;
      this.log.warn({ deviceId: e.binding.deviceId, reason }, 'scanner disconnected');
      this.failed(e, reason);
    });
  }

  private onScan(e: Entry, scan: RawScan): void {
    const now = scan.receivedAt;
    e.status.lastScanAt = now;
    e.recentScans.push(now);
    this.emit('scan', { ...scan, stationId: e.binding.stationId, transport: e.binding.transport });
    // Keep the rate on screen fresh without a status event per scan.
    if (now - e.lastStatusEmit > 5000) this.emitStatus(e);
  }

  private failed(e: Entry, reason: string): void {
    if (this.entries.get(e.binding.deviceId) !== e) return;
    if (e.status.reason === reason && e.status.state === 'offline') {
      e.repeatedFailures++;
    } else {
      this.log.warn({ deviceId: e.binding.deviceId, reason }, 'scanner offline; retrying');
      e.repeatedFailures = 1;
      this.setState(e, 'offline', reason);
    }
    const delay = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** e.attempt++);
    clearTimeout(e.retry);
    e.retry = setTimeout(() => void this.connect(e), delay);
    e.retry.unref?.();
  }

  private setState(e: Entry, state: ScannerState, reason: string | null): void {
    if (e.status.state === state && e.status.reason === reason) return;
    e.status.state = state;
    e.status.reason = reason;
    e.status.since = Date.now();
    this.emitStatus(e);
  }

  private emitStatus(e: Entry): void {
    e.lastStatusEmit = Date.now();
    this.emit('status', this.withRate(e));
  }

  private withRate(e: Entry): SupervisedStatus {
    const cutoff = Date.now() - MINUTE;
    while (e.recentScans.length > 0 && (e.recentScans[0] ?? 0) < cutoff) e.recentScans.shift();
    return { ...e.status, scansPerMinute: e.recentScans.length };
  }
}
