import type { ScannerStatusView } from '../../../../server/contract/views.js';
import { socket, command } from '../socket.js';
import { describeError } from '../api.js';
import { upsertBy } from '../upsert.js';

/** Replaces a scanner's status by scannerId (or appends it), keeping the list's order stable. */
export function upsertScanner(list: ScannerStatusView[], status: ScannerStatusView): ScannerStatusView[] {
  return upsertBy(list, status, (s) => s.scannerId);
}

/** Every bound scanner's live status, for the devices page: snapshot on each (re)connect, then deltas. */
export class ScannersStore {
  list = $state.raw<ScannerStatusView[]>([]);
  error = $state<string | null>(null);

  private readonly watch = async (): Promise<void> => {
    try {
      this.list = await command('scanners.watch', {});
      this.error = null;
    } catch (err) {
      this.error = describeError(err);
    }
  };

  private readonly onStatus = (status: ScannerStatusView): void => {
    this.list = upsertScanner(this.list, status);
  };

  start(): () => void {
    socket.on('connect', this.watch);
    socket.on('scanner.status', this.onStatus);
    if (socket.connected) void this.watch();
    return () => {
      socket.off('connect', this.watch);
      socket.off('scanner.status', this.onStatus);
    };
  }
}
