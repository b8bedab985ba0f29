import type { Knex } from 'knex';
import { OutboxRepository, type OutboxRecord } from '../../../db/repositories/outbox.repository.js';
import { withWriteTx } from '../../../db/repositories/tx.js';
import type { NhsaClient, UploadResult } from '../../platforms/nhsa/client.js';
import type { Credentials } from '../../platforms/nhsa/envelope.js';
import { keyName, mapRecord, packCall } from '../../platforms/nhsa/param.js';
import type { CanonicalRecord, UploadOperation } from '../../platforms/nhsa/profile.schema.js';
import type { Logger } from '../../logger.js';
import { EndpointBackoff, type BackoffOptions } from './backoff.js';
import { QUERY_POOL, resolveUnknown } from './resolver.js';

export interface WorkerOptions {
  /** Calls in flight at once. */
  concurrency: number;
  /** How long after an unknown outcome the platform is asked (it may still be storing a slow call). */
  unknownGraceMs: number;
  /** Unknown records resolved per task. */
  resolveBatch: number;
  backoff: BackoffOptions;
  /** Longest sleep when nothing is due (a safety net; enqueueing wakes the worker at once). */
  idleMs: number;
}

export interface WorkerDeps {
  knex: Knex;
  client: NhsaClient;
  credentials: (unitId: number) => Promise<Credentials | null>;
  log: Logger;
  now?: () => number;
  /** Called after every settled call or resolution (the monitor coalesces it). */
  changed: () => void;
  /** Accepted records, for throughput figures. */
  accepted?: (n: number) => void;
}

type Group = { unitId: number; operation: string };
type Task = { kind: 'send'; batchId: number; operation: UploadOperation; creds: Credentials; paramText: string; ids: number[] } | { kind: 'resolve'; operation: UploadOperation; creds: Credentials; records: OutboxRecord[] };

/**
 * Drains the outbox: claims a call's records (committed as `sending` before a byte leaves), sends
 * it, and settles every record from the answer. Nothing is ever blind-resent: an unknown outcome
 * waits its grace, then the platform is queried, and only records it does not hold go back to
 * pending. State lives in the database, so a restart (even after kill -9) resumes where it was.
 */
export class UploadWorker {
  private readonly repo = new OutboxRepository();
  private readonly backoff: EndpointBackoff;
  private readonly now: () => number;
  private running = 0;
  private resolving = 0;
  private claiming = false;
  private stopped = true;
  private timer: NodeJS.Timeout | undefined;
  private idle: Array<() => void> = [];
  private rr = 0;
  private missingCreds = new Map<number, number>();

  constructor(
    private readonly d: WorkerDeps,
    private readonly o: WorkerOptions,
  ) {
    this.now = d.now ?? Date.now;
    this.backoff = new EndpointBackoff(o.backoff);
  }

  get endpointFailures(): number {
    return this.backoff.failures;
  }

  get holdUntil(): number {
    return this.backoff.holdUntil(this.now());
  }

  async start(): Promise<void> {
    // An embedded SQLite file has one worker: whatever it left `sending` died with it. A shared
    // PostgreSQL database may have other workers' calls in flight: only stale ones are taken.
    await this.sweepInterrupted(this.d.knex.client.config.client === 'pg' ? undefined : Number.MAX_SAFE_INTEGER);
    this.stopped = false;
    this.wake();
  }

  private lastSweep = 0;

  private async sweepInterrupted(claimedBefore?: number): Promise<void> {
    const at = this.now();
    this.lastSweep = at;
    const before = claimedBefore ?? at - 2 * this.d.client.timeoutMs - 10_000;
    const n = await withWriteTx(this.d.knex, (trx) => this.repo.interrupted(trx, at, at + this.o.unknownGraceMs, before));
    if (n) this.d.log.warn({ records: n }, 'upload calls interrupted by a stop will be checked with the platform before any resend');
  }

  /** Resolves when no call is in flight (tests and shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    while (this.running > 0 || this.claiming) await new Promise<void>((r) => this.idle.push(r));
  }

  /** New keys were entered: units that had none are looked at again now. */
  credentialsChanged(): void {
    this.missingCreds.clear();
    this.wake();
  }

  wake(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    void this.fill();
  }

  private sleep(ms: number): void {
    if (this.stopped || this.running > 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), Math.max(10, Math.min(ms, this.o.idleMs)));
    this.timer.unref?.();
  }

  private async fill(): Promise<void> {
    if (this.claiming) return;
    this.claiming = true;
    try {
      while (!this.stopped && this.running < this.o.concurrency) {
        const hold = this.backoff.holdUntil(this.now());
        if (hold) return this.sleep(hold - this.now());
        const task = await this.claim();
        if (!task) return this.sleep(await this.nextDueIn());
        this.running++;
        if (task.kind === 'resolve') this.resolving++;
        void this.run(task).finally(() => {
          this.running--;
          if (task.kind === 'resolve') this.resolving--;
          this.d.changed();
          if (this.running === 0 && !this.claiming) this.idle.splice(0).forEach((r) => r());
          this.wake();
        });
      }
    } catch (err) {
      this.d.log.error({ err: (err as Error).message }, 'outbox claim failed');
      this.sleep(this.o.idleMs);
    } finally {
      this.claiming = false;
      if (this.running === 0) this.idle.splice(0).forEach((r) => r());
    }
  }

  private async nextDueIn(): Promise<number> {
    const r = (await this.d.knex('upload_records').whereIn('state', ['pending', 'unknown']).where({ platform: 'nhsa' }).min({ next: 'next_attempt_at' }).first()) as { next: number | null } | undefined;
    return r?.next === null || r?.next === undefined ? this.o.idleMs : Number(r.next) - this.now();
  }

  private async creds(unitId: number, at: number): Promise<Credentials | null> {
    if ((this.missingCreds.get(unitId) ?? 0) > at) return null;
    const c = await this.d.credentials(unitId);
    // A unit without keys waits a minute before the next look, not a busy loop.
    if (!c) this.missingCreds.set(unitId, at + 60_000);
    return c;
  }

  /**
   * Which groups have due records, cached for a moment: asking the database per call would scan
   * the whole backlog for every call of a large drain.
   */
  private groups: { at: number; unknown: Group[]; pending: Group[] } = { at: 0, unknown: [], pending: [] };

  private async dueGroups(at: number): Promise<{ unknown: Group[]; pending: Group[] }> {
    if (at - this.groups.at > 1_000 || (this.groups.unknown.length === 0 && this.groups.pending.length === 0)) {
      this.groups = { at, unknown: await this.repo.dueGroups(this.d.knex, 'unknown', at), pending: await this.repo.dueGroups(this.d.knex, 'pending', at) };
    }
    return this.groups;
  }

  private async claim(): Promise<Task | null> {
    const at = this.now();
    if (at - this.lastSweep > 60_000) await this.sweepInterrupted();
    const groups = await this.dueGroups(at);
    // Unknown outcomes first — their records are blocked until the platform has been asked — but
    // never in every slot: a stream of doubtful calls must not starve records never sent at all.
    const maySolve = this.resolving < Math.max(1, Math.floor(this.o.concurrency / 2));
    for (const g of maySolve ? [...groups.unknown] : []) {
      const creds = await this.creds(g.unitId, at);
      if (!creds) continue;
      const records = await withWriteTx(this.d.knex, async (trx) => {
        const rs = await this.repo.due(trx, g.unitId, g.operation, 'unknown', at, this.o.resolveBatch);
        // A lease: the next look at these records comes after this resolution must have finished
        // (its queries go a pool at a time, each bounded by the timeout and asked at most twice).
        const lease = this.o.unknownGraceMs + this.d.client.timeoutMs * 2 * (Math.ceil(rs.length / QUERY_POOL) + 1);
        await trx('upload_records').whereIn('id', rs.map((r) => r.id)).update({ next_attempt_at: at + lease });
        return rs;
      });
      if (records.length) return { kind: 'resolve', operation: g.operation as UploadOperation, creds, records };
      groups.unknown.splice(groups.unknown.indexOf(g), 1);
    }
    while (groups.pending.length) {
      const g = groups.pending[this.rr++ % groups.pending.length]!;
      const creds = await this.creds(g.unitId, at);
      const task = creds ? await this.claimCall(g.unitId, g.operation as UploadOperation, creds, at) : null;
      if (task) return task;
      groups.pending.splice(groups.pending.indexOf(g), 1);
    }
    return null;
  }

  private async claimCall(unitId: number, operation: UploadOperation, creds: Credentials, at: number): Promise<Task | null> {
    const profile = this.d.client.profile;
    const op = profile.operations[operation];
    return withWriteTx(this.d.knex, async (trx) => {
      // A call rarely holds more than a few dozen records under the 1024-character param.
      const candidates = await this.repo.due(trx, unitId, operation, 'pending', at, Math.min(op.maxRecords, 64));
      const packed = packCall(op, profile.envelope.maxLength.param, candidates.map((r) => ({ id: r.id, record: r.payload as CanonicalRecord })));
      for (const [message, ids] of groupBy(packed.refused.map((r) => ({ id: r.id, message: r.problems.map((p) => p.message['zh-CN']).join('；') })))) {
        await this.repo.transition(trx, ids, ['pending'], 'rejected', { batchId: null, event: 'refused-locally', message, at });
      }
      if (!packed.paramText || packed.sent.length === 0) return null;
      const ids = packed.sent.map((s) => s.id);
      const batchId = await this.repo.openBatch(trx, { unitId, operation, channel: 'api', recordIds: ids, paramText: packed.paramText, at });
      await this.repo.transition(trx, ids, ['pending'], 'sending', { batchId, event: 'sent', message: null, at, countAttempt: true });
      return { kind: 'send', batchId, operation, creds, paramText: packed.paramText, ids } as const;
    });
  }

  private async run(task: Task): Promise<void> {
    try {
      if (task.kind === 'resolve') {
        const r = await resolveUnknown({ knex: this.d.knex, repo: this.repo, client: this.d.client, now: this.now }, task.operation, task.creds, task.records);
        // The endpoint is in trouble only when nothing answered at all.
        if (r.answered) this.backoff.succeeded();
        else if (r.failed) this.backoff.failed(this.now());
        if (r.accepted) this.d.accepted?.(r.accepted);
        return;
      }
      const result = await this.d.client.upload(task.operation, task.creds, task.paramText);
      await this.settle(task, result);
    } catch (err) {
      // The records stay as they are (sending/unknown); a restart or the next resolution decides.
      this.d.log.error({ err: (err as Error).message, kind: task.kind }, 'outbox task failed');
      this.backoff.failed(this.now());
    }
  }

  private async settle(task: Extract<Task, { kind: 'send' }>, result: UploadResult): Promise<void> {
    const at = this.now();
    const { batchId, ids } = task;
    await withWriteTx(this.d.knex, async (trx) => {
      if (result.outcome === 'not-sent') {
        const next = this.backoff.failed(at);
        await this.repo.transition(trx, ids, ['sending'], 'pending', { batchId, event: 'not-sent', message: result.message, at, nextAttemptAt: next, onlyBatch: batchId });
        return this.repo.closeBatch(trx, batchId, { outcome: 'not-sent', message: result.message, at });
      }
      if (result.outcome === 'unknown' || result.answer.kind === 'garbled') {
        const message = result.outcome === 'unknown' ? result.message : result.answer.message;
        this.backoff.failed(at);
        await this.repo.transition(trx, ids, ['sending'], 'unknown', { batchId, event: 'unknown', message, at, nextAttemptAt: at + this.o.unknownGraceMs, onlyBatch: batchId });
        return this.repo.closeBatch(trx, batchId, { outcome: 'unknown', message, at, httpStatus: result.outcome === 'answered' ? result.status : null });
      }
      this.backoff.succeeded();
      const a = result.answer;
      if (a.kind === 'refused') {
        const message = `${a.code} ${a.message}`.trim();
        // A clock refusal stored nothing and the client has already re-signed once: try later.
        if (a.clock) await this.repo.transition(trx, ids, ['sending'], 'pending', { batchId, event: 'refused', message, at, nextAttemptAt: this.backoff.failed(at), onlyBatch: batchId });
        else await this.repo.transition(trx, ids, ['sending'], 'rejected', { batchId, event: 'rejected', message, at, onlyBatch: batchId });
        return this.repo.closeBatch(trx, batchId, { outcome: 'refused', httpStatus: result.status, message, ms: result.ms, at });
      }
      // The records are only read back when the platform listed failures (the common answer has none).
      const records = a.failures.size ? await this.repo.ofBatch(trx, batchId) : [];
      const failed = records.filter((r) => r.state === 'sending' && a.failures.has(keyOf(this.d.client, task.operation, r)));
      for (const [message, rs] of groupBy(failed.map((r) => ({ id: r.id, message: a.failures.get(keyOf(this.d.client, task.operation, r))! })))) {
        await this.repo.transition(trx, rs, ['sending'], 'rejected', { batchId, event: 'rejected', message, at, onlyBatch: batchId });
      }
      const failedIds = new Set(failed.map((r) => r.id));
      const ok = ids.filter((id) => !failedIds.has(id));
      const n = await this.repo.transition(trx, ok, ['sending'], 'accepted', { batchId, event: 'accepted', message: a.message || null, at, onlyBatch: batchId });
      this.d.accepted?.(n);
      await this.repo.closeBatch(trx, batchId, { outcome: failed.length ? 'partial' : 'accepted', httpStatus: result.status, message: a.message, ms: result.ms, at });
    });
  }
}

/** The record's key as the platform spells it (failures are listed under that). */
function keyOf(client: NhsaClient, operation: UploadOperation, r: OutboxRecord): string {
  const op = client.profile.operations[operation];
  const m = mapRecord(op, r.payload as CanonicalRecord);
  return m.ok ? String(m.item[keyName(op)]) : '';
}

function groupBy(items: Array<{ id: number; message: string }>): Map<string, number[]> {
  const m = new Map<string, number[]>();
  for (const i of items) m.set(i.message, [...(m.get(i.message) ?? []), i.id]);
  return m;
}
