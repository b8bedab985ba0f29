import type { ExportProgressView, ExportView } from '../../../../server/contract/queries.js';
import { describeError } from '../api.js';
import { command, socket } from '../socket.js';

/**
 * The unit's export jobs, live: `exports.watch` answers the list and joins the room (again after
 * every reconnect), then `export.progress` moves each job's bar. A browser closed and opened again
 * gets the same list back: the jobs live on the server, not in the page.
 */
export class ExportsStore {
  jobs = $state.raw<ExportView[]>([]);
  error = $state<string | null>(null);

  private readonly watch = async (): Promise<void> => {
    try {
      this.jobs = await command('exports.watch', {});
      this.error = null;
    } catch (err) {
      this.error = describeError(err);
    }
  };

  private readonly onProgress = (p: ExportProgressView): void => {
    if (!this.jobs.some((j) => j.id === p.id)) {
      void this.watch(); // started elsewhere (another browser): fetch it whole
      return;
    }
    this.jobs = this.jobs.map((j) => (j.id === p.id ? { ...j, ...p, done: Math.max(p.status === j.status ? j.done : 0, p.done) } : j));
  };

  /** A job this page just started shows at once, before its first progress event. */
  add(job: ExportView): void {
    this.jobs = [job, ...this.jobs.filter((j) => j.id !== job.id)];
  }

  start(): () => void {
    socket.on('connect', this.watch);
    socket.on('export.progress', this.onProgress);
    if (socket.connected) void this.watch();
    return () => {
      socket.off('connect', this.watch);
      socket.off('export.progress', this.onProgress);
    };
  }
}
