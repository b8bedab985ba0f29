/**
 * Staging statements one after another, each started as soon as the previous settles rather than
 * when the reader next hands over a batch: the database thread then never waits for the parser to
 * finish a batch, and the parser never waits for the database unless `depth` batches are queued
 * (which bounds the memory a slow disk can pin). After a failure no further job runs.
 */
export class WriteQueue {
  private tail: Promise<void> = Promise.resolve();
  private readonly queued: Array<Promise<void>> = [];

  constructor(private readonly depth: number) {}

  /** Queues `job`; resolves once fewer than `depth` jobs wait, rejects when one has failed. */
  async push(job: () => Promise<void>): Promise<void> {
    const done = this.tail.then(job);
    // Awaited by push/drain later; this only stops Node calling a failure unhandled meanwhile.
    done.catch(() => {});
    this.tail = done;
    this.queued.push(done);
    while (this.queued.length > this.depth) await this.queued.shift();
  }

  /** Every queued job settled; rejects with the first failure. */
  drain(): Promise<void> {
    this.queued.length = 0;
    return this.tail;
  }
}
