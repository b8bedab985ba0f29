import type { Knex } from 'knex';
import type { ScansRepository } from '../../db/repositories/scans.repository.js';
import type { NewScanEvent, ScanEventRow, ScanSource } from '../../db/types.js';
import type { DockScanInput } from './dock/dock-scans.js';
import type { DockOutcome } from './dock/outcome.js';
import type { ScanView } from '../contract/views.js';
import type { StationKind } from '../contract/views.js';
import { classifyScan, decodeOptionsFor, type Classification, type ScanInput } from '../domain/scans/classify.js';
import type { DecodeOptions } from '../domain/codes/index.js';
import { SCAN_REASONS } from '../domain/scans/reasons.js';
import type { DomainEventBus } from '../events.js';
import type { Logger } from '../logger.js';
import { toScanView } from '../views.js';
import { AppError } from './app-error.js';
import type { ScanSpool } from './scan-spool.js';

/** Who is scanning, for which unit (from the session, or the operator signed in at the station). */
export interface ScanActor {
  operatorId: number;
  unitId: number;
}

export interface IncomingScan extends ScanInput {
  /** null: nobody is signed in at the station — the scan is kept but not accepted. */
  actor: ScanActor | null;
  stationId: number;
  deviceId: string;
  source: ScanSource;
  bytes: Uint8Array;
  receivedAt: number;
  codeId?: string;
}

interface Pending {
  scan: IncomingScan;
  resolve: (v: ScanView) => void;
  reject: (e: unknown) => void;
}

/** Largest group of queued scans committed in one transaction during a burst. */
const MAX_GROUP = 256;

export type Classifier = (input: ScanInput, options: DecodeOptions) => Classification;

/** Dock rules (issue 5), consulted inside the scan's transaction. */
export interface DockScanHook {
  decide(trx: Knex.Transaction, s: DockScanInput): Promise<DockOutcome | undefined>;
  /** Reverses a scan's dock effects (stock, hierarchy) inside the undo's transaction. */
  undo(trx: Knex.Transaction, scan: ScanEventRow, actor: ScanActor, reason: string): Promise<void>;
}

/**
 * The one way a scan enters the journal. Scans are recorded strictly in arrival order; during a
 * burst, queued scans share one transaction (group commit) so the dock never waits on fsyncs.
 * Events are emitted only after the commit.
 */
export class ScanService {
  private queue: Pending[] = [];
  private draining: Promise<void> | undefined;
  private closed = false;
  private dock: DockScanHook | undefined;

  constructor(
    private readonly knex: Knex,
    private readonly scans: ScansRepository,
    /** The station's kind (cached by StationService); undefined for an unknown station. */
    private readonly kindOf: (stationId: number) => Promise<StationKind | undefined>,
    private readonly bus: DomainEventBus,
    private readonly spool: ScanSpool,
    private readonly log: Logger,
    private readonly classify: Classifier = classifyScan,
    private readonly decodeOptions: DecodeOptions = {},
  ) {}

  /** Receiving, dispatch and aggregation stations decide through the dock rules from now on. */
  useDock(hook: DockScanHook): void {
    this.dock = hook;
  }

  /** Resolves with the recorded scan (accepted, duplicate or rejected); rejects with an AppError. */
  submit(scan: IncomingScan): Promise<ScanView> {
    if (this.closed) return Promise.reject(new AppError('SHUTTING_DOWN', 503));
    return new Promise((resolve, reject) => {
      this.queue.push({ scan, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /** Stops accepting scans and waits until every queued scan is committed (graceful shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.queue.length === 0) {
        // Cleared in the same synchronous step that found the queue empty: a scan submitted a
        // microtask later must start a new drain, never wait behind a finished one.
        this.draining = undefined;
        return;
      }
      const group = this.queue.splice(0, MAX_GROUP);
      try {
        const kinds = await this.kindsOf(group);
        const views = await this.knex.transaction((trx) => this.recordGroup(trx, group, kinds));
        group.forEach((p, i) => this.settle(p, views[i]!));
      } catch (err) {
        if (group.length === 1) this.failed(group[0]!, err);
        // One bad scan must not take its neighbours down: record them one by one, in order.
        else for (const p of group) await this.recordAlone(p);
      }
    }
  }

  private async recordAlone(p: Pending): Promise<void> {
    try {
      const kinds = await this.kindsOf([p]);
      const [view] = await this.knex.transaction((trx) => this.recordGroup(trx, [p], kinds));
      this.settle(p, view!);
    } catch (err) {
      this.failed(p, err);
    }
  }

  /**
   * Station kinds, looked up BEFORE the transaction: on SQLite the transaction holds the only
   * connection, so a lookup inside it that misses the cache would wait for itself.
   */
  private async kindsOf(group: Pending[]): Promise<Map<number, StationKind | undefined>> {
    const kinds = new Map<number, StationKind | undefined>();
    for (const { scan } of group) if (!kinds.has(scan.stationId)) kinds.set(scan.stationId, await this.kindOf(scan.stationId));
    return kinds;
  }

  private async recordGroup(trx: Knex.Transaction, group: Pending[], kinds: Map<number, StationKind | undefined>): Promise<Array<ScanView | AppError>> {
    const out: Array<ScanView | AppError> = [];
    for (const { scan } of group) {
      const kind = kinds.get(scan.stationId);
      if (kind === undefined) {
        out.push(new AppError('STATION_NOT_FOUND', 404));
        continue;
      }
      out.push(await this.recordOne(trx, scan, kind));
    }
    return out;
  }

  private async recordOne(trx: Knex.Transaction, scan: IncomingScan, stationKind: StationKind): Promise<ScanView> {
    const c: Classification = scan.actor
      ? this.classify(scan, decodeOptionsFor(stationKind, this.decodeOptions))
      : { ok: false, reasonCode: 'station_unattended', reason: SCAN_REASONS.station_unattended, kind: null, fields: null };
    const now = Date.now();
    const dock = scan.actor && this.dock ? await this.dock.decide(trx, { stationId: scan.stationId, stationKind, text: scan.text, classification: c, actor: scan.actor, at: now }) : undefined;
    let duplicateOf: number | undefined = dock?.duplicateOf;
    if (c.ok && !dock) duplicateOf = await this.scans.firstAccepted(trx, scan.stationId, c.code);
    const decision = dock ? dock.decision : !c.ok ? 'rejected' : duplicateOf !== undefined ? 'duplicate' : 'accepted';
    const reason = dock ? dock.reason : !c.ok ? c.reason : decision === 'duplicate' ? SCAN_REASONS.duplicate : null;
    const reasonCode = dock ? dock.reasonCode : !c.ok ? c.reasonCode : decision === 'duplicate' ? 'duplicate' : null;
    const event: NewScanEvent = {
      stationId: scan.stationId,
      deviceId: scan.deviceId,
      source: scan.source,
      receivedAt: scan.receivedAt,
      recordedAt: now,
      raw: Buffer.from(scan.bytes),
      // PostgreSQL text cannot hold NUL; the raw bytes keep the truth.
      text: scan.text.replace(/\0/g, '\u2400'),
      aim: scan.aim ?? null,
      decision,
      reasonCode,
      reason: reason?.['zh-CN'] ?? null,
      kind: c.kind,
      code: c.ok ? c.code : null,
      detail: {
        ...(reason ? { reason } : {}),
        ...(c.fields ? { fields: c.fields } : {}),
        ...(duplicateOf !== undefined ? { duplicateOf } : {}),
        ...(scan.terminatedBy && scan.terminatedBy !== 'suffix' ? { terminatedBy: scan.terminatedBy } : {}),
        ...(scan.codeId ? { codeId: scan.codeId } : {}),
        ...(dock?.effect ? { effect: dock.effect } : {}),
        ...(dock?.codes?.length ? { codes: dock.codes } : {}),
      },
      operatorId: scan.actor?.operatorId ?? null,
      unitId: scan.actor?.unitId ?? null,
    };
    const id = await this.scans.append(trx, event);
    if (dock) await dock.apply?.(trx, id);
    else if (decision === 'accepted' && c.ok) await this.scans.markAccepted(trx, scan.stationId, c.code, id);
    return toScanView({ ...event, id, undone: null });
  }

  /**
   * Takes back an accepted scan (wrong box scanned): a compensating event with a reason, in its own
   * transaction; the code leaves the duplicate projection so it can be scanned again.
   */
  async undo(u: { stationId: number; scanId: number; reason: string; source: string; actor: ScanActor }): Promise<ScanView> {
    const view = await this.knex.transaction(async (trx) => {
      const row = await this.scans.get(u.scanId, trx);
      if (!row || row.stationId !== u.stationId) throw new AppError('SCAN_NOT_FOUND', 404);
      if (row.undone) throw new AppError('SCAN_ALREADY_UNDONE', 409);
      if (row.decision !== 'accepted') throw new AppError('SCAN_NOT_UNDOABLE', 409);
      const at = Date.now();
      await this.dock?.undo(trx, row, u.actor, u.reason);
      await this.scans.appendUndo(trx, {
        scanId: row.id,
        stationId: row.stationId,
        reason: u.reason,
        source: u.source,
        at,
        operatorId: u.actor.operatorId,
        unitId: u.actor.unitId,
      });
      return toScanView({ ...row, undone: { at, reason: u.reason } });
    });
    this.bus.emit('scan.undone', view);
    return view;
  }

  private settle(p: Pending, result: ScanView | AppError): void {
    if (result instanceof AppError) return p.reject(result);
    this.bus.emit(result.decision === 'rejected' ? 'scan.rejected' : 'scan.recorded', result);
    p.resolve(result);
  }

  /** The database refused the write: keep the scan in the spool file and tell the dock to rescan. */
  private failed(p: Pending, err: unknown): void {
    if (err instanceof AppError) return p.reject(err);
    const s = p.scan;
    this.log.error({ err, stationId: s.stationId, deviceId: s.deviceId }, 'scan could not be stored');
    this.spool.keep(s, (err as Error).message);
    const view: ScanView = {
      id: null,
      stationId: s.stationId,
      deviceId: s.deviceId,
      source: s.source,
      receivedAt: s.receivedAt,
      recordedAt: null,
      text: s.text,
      rawHex: Buffer.from(s.bytes).toString('hex'),
      aim: s.aim ?? null,
      decision: 'rejected',
      reasonCode: 'storage_failed',
      reason: SCAN_REASONS.storage_failed,
      code: null,
      fields: null,
      duplicateOf: null,
      undone: null,
      operatorId: s.actor?.operatorId ?? null,
      unitId: s.actor?.unitId ?? null,
      effect: null,
    };
    this.bus.emit('scan.rejected', view);
    p.reject(new AppError('STORAGE_FAILED', 503, { scan: view }));
  }
}
