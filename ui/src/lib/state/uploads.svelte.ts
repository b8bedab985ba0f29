import type { UploadSummaryView } from '../../../../server/contract/uploads.js';
import { socket, command } from '../socket.js';
import { describeError } from '../api.js';
import { uploadsApi, waitingOf } from '../uploads.js';

const STALE_MS = 15_000;

/**
 * The upload monitor's live summary: `uploads.watch` answers it and joins the room (again after
 * every reconnect, since a new socket is in no room), then `upload.status` replaces it while the
 * outbox drains. Also remembers what was accepted when the page opened, for the drain progress.
 */
export class UploadsStore {
  summary = $state.raw<UploadSummaryView | null>(null);
  error = $state<string | null>(null);
  /** Accepted records when this page first saw the summary; the progress bar counts from there. */
  baseline = $state<number | null>(null);

  /** Accepted since the page opened, and what still waits: the draining backlog. */
  readonly drain = $derived.by(() => {
    const s = this.summary;
    if (!s || this.baseline === null) return null;
    const accepted = Math.max(0, s.totals.accepted - this.baseline);
    const waiting = waitingOf(s.totals);
    const total = accepted + waiting;
    return { accepted, waiting, total, percent: total > 0 ? Math.floor((accepted / total) * 100) : 100 };
  });

  /** A summary replaces the one shown unless it is older (a reply that raced a pushed update). */
  apply(s: UploadSummaryView): void {
    if (this.summary && s.at < this.summary.at) return;
    this.summary = s;
    this.baseline ??= s.totals.accepted;
  }

  private readonly watch = async (): Promise<void> => {
    try {
      this.apply(await command('uploads.watch', {}));
      this.error = null;
    } catch (err) {
      this.error = describeError(err);
    }
  };

  private readonly onStatus = (s: UploadSummaryView): void => {
    this.apply(s);
    this.error = null;
  };

  /** After a retry, skip or reconciliation: the pushed update follows, this shows the result now. */
  async refresh(): Promise<void> {
    try {
      this.apply(await uploadsApi.summary());
    } catch (err) {
      this.error = describeError(err);
    }
  }

  /**
   * Nothing is pushed while nothing changes, so a throughput figure would freeze at its last value
   * after a drain; while it is above zero and the summary is stale, ask again until it has decayed.
   */
  private readonly decay = (): void => {
    const s = this.summary;
    if (s && s.throughput.acceptedLastMinute > 0 && Date.now() - s.at > STALE_MS && socket.connected) void this.refresh();
  };

  start(): () => void {
    socket.on('connect', this.watch);
    socket.on('upload.status', this.onStatus);
    if (socket.connected) void this.watch();
    const timer = setInterval(this.decay, STALE_MS / 3);
    return () => {
      clearInterval(timer);
      socket.off('connect', this.watch);
      socket.off('upload.status', this.onStatus);
      // Leave the room: the server stops computing this unit's summary for a page nobody shows.
      if (socket.connected) void command('uploads.unwatch', {}).catch(() => {});
    };
  }
}
