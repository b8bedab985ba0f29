import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import type { ExportRow } from '../../../db/repositories/exports.repository.js';
import type { ExportFormat } from '../../contract/queries.js';
import type { DomainEventBus } from '../../events.js';
import type { Logger } from '../../logger.js';
import { AppError } from '../app-error.js';
import { writeCsv } from './csv-writer.js';
import { writeEpcisDocument } from './epcis/write.js';
import { EXTENSIONS, progressOf, toExportView, type ExportsService } from './exports.service.js';
import { writeXlsx } from './xlsx-writer.js';

export interface RunnerOptions {
  retentionMs: number;
  /** Least time between two progress events of one job (the last one is always sent). */
  progressEveryMs?: number;
  /** Rows per database page while writing. */
  pageSize?: number;
}

/**
 * Writes export files one job at a time, in the background of the workstation process: a closed
 * browser changes nothing, and a job the process was writing when it stopped starts over on the
 * next start. One at a time keeps the second core for the docks; exports are not urgent, scans are.
 */
export class ExportRunner {
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly knex: Knex,
    private readonly exports: ExportsService,
    private readonly bus: DomainEventBus,
    private readonly log: Logger,
    private readonly o: RunnerOptions,
  ) {}

  async start(): Promise<void> {
    fs.mkdirSync(this.exports.dir, { recursive: true });
    const requeued = await this.exports.repo.requeueRunning(this.knex);
    if (requeued) this.log.info({ requeued }, 'interrupted exports start over');
    await this.sweep();
    this.sweepTimer = setInterval(() => void this.sweep().catch((err: Error) => this.log.warn({ err: err.message }, 'export sweep failed')), Math.min(3_600_000, this.o.retentionMs));
    this.sweepTimer.unref();
    this.wake();
  }

  /** Something was queued: run it now (or right after the job being written). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err: Error) => this.log.error({ err: err.message }, 'export runner stopped'))
      .finally(() => {
        this.running = null;
        if (this.again && !this.stopped) {
          this.again = false;
          this.wake();
        }
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.running;
  }

  /** Idle: nothing queued and nothing being written (tests and benchmarks wait on this). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const job = await this.exports.repo.claimNext(this.knex, Date.now());
      if (!job) return;
      await this.run(job);
    }
  }

  private async run(job: ExportRow): Promise<void> {
    const format = job.format as ExportFormat;
    const fileName = `export-${job.id}.${EXTENSIONS[format]}`;
    const final = path.join(this.exports.dir, fileName);
    const partial = `${final}.part`;
    let last = 0;
    const emit = (force: boolean) => {
      const now = Date.now();
      if (!force && now - last < (this.o.progressEveryMs ?? 250)) return;
      last = now;
      void this.exports.repo.get(this.knex, job.id).then((r) => r && this.bus.emit('export.progress', job.unitId, progressOf(toExportView(r))));
    };
    let done = 0;
    const onProgress = (n: number) => {
      done = n;
      const now = Date.now();
      if (now - last < (this.o.progressEveryMs ?? 250)) return;
      void this.exports.repo.progress(this.knex, job.id, n).then(() => emit(false));
    };
    emit(true);
    try {
      const pageSize = this.o.pageSize ?? 2000;
      if (format === 'csv') await writeCsv(this.knex, job.id, job.unitId, partial, onProgress, pageSize);
      else if (format === 'xlsx') await writeXlsx(this.knex, job.id, job.unitId, partial, onProgress, pageSize);
      else await this.writeEpcis(job, partial, onProgress, pageSize);
      fs.renameSync(partial, final);
      const at = Date.now();
      await this.exports.repo.progress(this.knex, job.id, job.total);
      await this.exports.repo.finish(this.knex, job.id, { fileName, fileSize: fs.statSync(final).size, encrypted: false, at, expiresAt: at + this.o.retentionMs });
      this.log.info({ exportId: job.id, codes: job.total, ms: at - (job.startedAt ?? at), lastProgress: done }, 'export written');
    } catch (err) {
      fs.rmSync(partial, { force: true });
      const code = err instanceof AppError ? err.code : 'EXPORT_FAILED';
      this.log.error({ err: (err as Error).message, exportId: job.id }, 'export failed');
      await this.exports.repo.fail(this.knex, job.id, code, Date.now());
    }
    emit(true);
  }

  private async writeEpcis(job: ExportRow, file: string, onProgress: (n: number) => void, pageSize: number): Promise<void> {
    const out = fs.createWriteStream(file);
    const closed = new Promise<void>((resolve, reject) => {
      out.once('close', resolve);
      out.once('error', reject);
    });
    try {
      await writeEpcisDocument({ knex: this.knex, exportId: job.id, unitId: job.unitId, out, onProgress, pageSize: Math.min(pageSize, 1000) });
    } finally {
      out.end();
      await closed;
    }
  }

  /** Files past retention are removed; their jobs stay listed as expired (who exported what, when). */
  async sweep(now = Date.now()): Promise<number> {
    const old = await this.exports.repo.expired(this.knex, now);
    for (const r of old) if (r.fileName) fs.rmSync(path.join(this.exports.dir, r.fileName), { force: true });
    await this.exports.repo.markExpired(this.knex, old.map((r) => r.id));
    // The frozen lists of expired jobs are no longer needed: a re-export asks the question again.
    await this.exports.repo.dropCodes(this.knex, old.map((r) => r.id));
    for (const r of old) this.bus.emit('export.progress', r.unitId, { ...progressOf(toExportView(r)), status: 'expired' });
    return old.length;
  }
}
