import type { ScanView } from '../../contract/views.js';
import type { DomainEventBus } from '../../events.js';
import type { Logger } from '../../logger.js';
import type { StationContextService } from './station-context.service.js';

/**
 * After dock scans commit, the station's screen gets its context and the document's live
 * reconciliation. A burst of scans is coalesced: one recount per station per tick, never one per
 * scan, so a pallet of cases does not recount the document a thousand times.
 */
export class ProgressNotifier {
  private pending = new Set<number>();
  private timer: NodeJS.Immediate | undefined;
  private flushing: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly bus: DomainEventBus,
    private readonly contexts: StationContextService,
    private readonly isDockStation: (stationId: number) => Promise<boolean>,
    private readonly log: Logger,
  ) {
    const onScan = (s: ScanView) => void this.isDockStation(s.stationId).then((dock) => dock && this.touch(s.stationId), () => {});
    bus.on('scan.recorded', onScan);
    bus.on('scan.rejected', onScan);
    bus.on('scan.undone', onScan);
  }

  /** Schedules a fresh context (and reconciliation) for the station's screen. */
  touch(stationId: number): void {
    if (this.closed) return;
    this.pending.add(stationId);
    this.timer ??= setImmediate(() => void (this.flushing = this.flush()));
  }

  /** Shutdown: no new refreshes; the one running finishes before the database closes. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearImmediate(this.timer);
    this.timer = undefined;
    await this.flushing;
  }

  private async flush(): Promise<void> {
    const stations = [...this.pending];
    this.pending.clear();
    this.timer = undefined;
    for (const id of stations) {
      try {
        const view = await this.contexts.view(id);
        this.bus.emit('station.context', view);
      } catch (err) {
        this.log.warn({ err: (err as Error).message, stationId: id }, 'station context not refreshed');
      }
    }
  }
}
