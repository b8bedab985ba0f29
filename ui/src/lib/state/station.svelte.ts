import type {
  Localized,
  ScannerStatusView,
  ScanView,
  StationCounters,
  StationSnapshot,
  StationView,
} from '../../../../server/contract/views.js';
import { socket, command } from '../socket.js';
import { ApiError, describeError } from '../api.js';
import { upsertScanner } from './scanners.svelte.js';
import { zhCN } from '../../i18n/zh-CN.js';
import { en } from '../../i18n/en.js';

const RECENT_LIMIT = 100;

function sameScan(a: ScanView, b: ScanView): boolean {
  // A scan that could not be stored has no id; its receive time and text identify it well enough.
  if (a.id !== null || b.id !== null) return a.id === b.id;
  return a.receivedAt === b.receivedAt && a.text === b.text;
}

function localDay(ms: number): string {
  return new Date(ms).toDateString();
}

/**
 * One station's live state. Snapshot on every (re)connect replaces everything the server knows;
 * deltas (and acks of our own submissions, which race the room broadcast) are applied once each.
 */
export class StationStore {
  station = $state.raw<StationView | null>(null);
  recent = $state.raw<ScanView[]>([]);
  counters = $state<StationCounters>({ accepted: 0, duplicate: 0, rejected: 0, undone: 0 });
  scanners = $state.raw<ScannerStatusView[]>([]);
  /** The scan shown huge. Only live scans set it: a freshly opened screen starts idle. */
  last = $state.raw<ScanView | null>(null);
  /** Bumped on every live scan so the screen can re-run its flash even for two equal decisions. */
  seq = $state(0);
  error = $state<{ code: string; message: string } | null>(null);
  loaded = $state(false);
  /** Locked screen: hardware scans are not accepted until a badge or PIN unlocks it. */
  locked = $state(false);
  /** Who unlocked the station last (scans carry this operator), if not the logged-in one. */
  worker = $state.raw<{ operatorId: number; displayName: string } | null>(null);

  private countersDay = localDay(Date.now());

  constructor(
    readonly stationId: number,
    private readonly onLive: (scan: ScanView) => void = () => {},
  ) {}

  private readonly join = async (): Promise<void> => {
    try {
      this.applySnapshot(await command('station.join', { stationId: this.stationId }));
      // A reconnect signs the station in again as the screen's operator; a locked screen stays locked.
      if (this.locked) await command('station.lock', { stationId: this.stationId });
      this.error = null;
    } catch (err) {
      this.error = { code: err instanceof ApiError ? err.code : 'UNKNOWN', message: describeError(err) };
    }
  };

  private applySnapshot(s: StationSnapshot): void {
    this.station = s.station;
    this.recent = s.recent.slice(0, RECENT_LIMIT);
    this.counters = { ...s.counters };
    this.scanners = s.scanners;
    this.countersDay = localDay(s.serverTime);
    this.loaded = true;
  }

  private readonly onScan = (scan: ScanView): void => {
    if (scan.stationId === this.stationId) this.apply(scan);
  };

  /** The newest accepted scan not yet undone: what F4 takes back. */
  get lastUndoable(): ScanView | undefined {
    return this.recent.find((s) => s.decision === 'accepted' && s.id !== null && !s.undone);
  }

  private readonly onUndone = (scan: ScanView): void => {
    if (scan.stationId !== this.stationId) return;
    const before = this.recent.find((r) => r.id === scan.id);
    if (before?.undone) return; // our own ack and the room broadcast: apply once
    if (before) {
      this.counters.accepted = Math.max(0, this.counters.accepted - 1);
      this.counters.undone += 1;
    }
    this.recent = this.recent.map((r) => (r.id === scan.id ? scan : r));
    if (this.last?.id === scan.id) this.last = scan;
  };

  async lock(): Promise<void> {
    await command('station.lock', { stationId: this.stationId });
    this.locked = true;
  }

  /** Throws ApiError (UNLOCK_FAILED, FORBIDDEN, ACCOUNT_LOCKED) with the server's words. */
  async unlock(credential: { badge: string } | { operatorId: number; pin: string }): Promise<void> {
    this.worker = await command('station.unlock', { stationId: this.stationId, ...credential });
    this.locked = false;
  }

  /** Takes back an accepted scan; throws ApiError with the server's reason when refused. */
  async undo(scanId: number, reason: string): Promise<void> {
    this.onUndone(await command('scan.undo', { stationId: this.stationId, scanId, reason }));
  }

  private readonly onStatus = (status: ScannerStatusView): void => {
    if (status.stationId === this.stationId) this.scanners = upsertScanner(this.scanners, status);
    else this.scanners = this.scanners.filter((s) => s.scannerId !== status.scannerId);
  };

  private apply(scan: ScanView, count = true): void {
    if (this.recent.some((r) => sameScan(r, scan))) return;
    if (count) {
      // Counters are "today": a screen left open overnight starts again at zero.
      const day = localDay(scan.receivedAt);
      if (day !== this.countersDay) {
        this.countersDay = day;
        this.counters = { accepted: 0, duplicate: 0, rejected: 0, undone: 0 };
      }
      this.counters[scan.decision] += 1;
    }
    this.recent = [scan, ...this.recent].slice(0, RECENT_LIMIT);
    this.last = scan;
    this.seq += 1;
    this.onLive(scan);
  }

  /** A scan the server never confirmed: shown red so the worker scans again, not counted. */
  private applyLocalFailure(raw: string, source: 'wedge' | 'manual', reason: Localized, code: string): void {
    const now = Date.now();
    this.apply(
      {
        id: null,
        stationId: this.stationId,
        deviceId: 'browser',
        source,
        receivedAt: now,
        recordedAt: null,
        text: raw,
        rawHex: '',
        aim: null,
        decision: 'rejected',
        reasonCode: code,
        reason,
        code: null,
        fields: null,
        duplicateOf: null,
        undone: null,
        // Never reached the workstation: nobody recorded it for any unit.
        operatorId: null,
        unitId: null,
        effect: null,
      },
      false,
    );
  }

  async submit(raw: string, source: 'wedge' | 'manual'): Promise<void> {
    // socket.io would buffer the emit and send it minutes later; better to say "scan again" now.
    if (!socket.connected) {
      this.applyLocalFailure(raw, source, { 'zh-CN': zhCN['station.notSent'], en: en['station.notSent'] }, 'not_sent');
      return;
    }
    try {
      this.apply(await command('scan.submit', { stationId: this.stationId, raw, source }));
    } catch (err) {
      if (err instanceof ApiError && err.body) this.applyLocalFailure(raw, source, err.body.messages, err.code.toLowerCase());
      else
        this.applyLocalFailure(
          raw,
          source,
          { 'zh-CN': zhCN['station.notConfirmed'], en: en['station.notConfirmed'] },
          'not_confirmed',
        );
    }
  }

  start(): () => void {
    socket.on('connect', this.join);
    socket.on('scan.recorded', this.onScan);
    socket.on('scan.rejected', this.onScan);
    socket.on('scanner.status', this.onStatus);
    socket.on('scan.undone', this.onUndone);
    if (socket.connected) void this.join();
    return () => {
      socket.off('connect', this.join);
      socket.off('scan.recorded', this.onScan);
      socket.off('scan.rejected', this.onScan);
      socket.off('scanner.status', this.onStatus);
      socket.off('scan.undone', this.onUndone);
      if (socket.connected) command('station.leave', { stationId: this.stationId }).catch(() => {});
    };
  }
}
