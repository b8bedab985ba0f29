import sqlite3 from 'sqlite3';

/**
 * Moves WAL checkpoints off the scan's commit path. With SQLite's automatic checkpoint, every
 * ~1000 pages one unlucky commit copies the WAL into the database file and fsyncs it — a latency
 * spike on the scan that triggered it. Here the writing connection never checkpoints; a second
 * connection does PASSIVE checkpoints on a timer (never blocking the writer, running on libuv's
 * thread pool), so the WAL stays small and commits stay sub-millisecond.
 */
export class WalCheckpointer {
  private db: sqlite3.Database | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly file: string,
    private readonly intervalMs = 1000,
  ) {}

  async start(): Promise<void> {
    this.db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const db = new sqlite3.Database(this.file, sqlite3.OPEN_READWRITE, (err) => (err ? reject(err) : resolve(db)));
    });
    await this.exec('PRAGMA busy_timeout = 5000');
    this.timer = setInterval(() => void this.checkpoint(), this.intervalMs);
    this.timer.unref();
  }

  /** One PASSIVE checkpoint; overlapping ticks are skipped. Failures are retried next tick. */
  async checkpoint(): Promise<void> {
    if (this.running || !this.db) return;
    this.running = true;
    try {
      await this.exec('PRAGMA wal_checkpoint(PASSIVE)');
    } catch {
      // A busy database or a checkpoint that could not finish is simply tried again next tick.
    } finally {
      this.running = false;
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    const db = this.db;
    this.db = undefined;
    while (this.running) await new Promise((r) => setTimeout(r, 5));
    if (db) await new Promise<void>((resolve) => db.close(() => resolve()));
  }

  private exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => this.db!.exec(sql, (err) => (err ? reject(err) : resolve())));
  }
}
