import type { Knex } from 'knex';
import { OutboxRepository } from '../../../db/repositories/outbox.repository.js';
import { withWriteTx } from '../../../db/repositories/tx.js';
import { problemsByRow, type SaveVerdict } from '../../platforms/gansu/answers.js';
import { prepareRows, type GansuClient, type SaveOutcome } from '../../platforms/gansu/client.js';
import type { AccountPacer } from '../../platforms/gansu/pacer.js';
import { checkRow, GANSU_MAX_ROWS } from '../../platforms/gansu/rows.js';
import type { Logger } from '../../logger.js';
import { EndpointBackoff, type BackoffOptions } from '../uploads/backoff.js';
import type { GansuRecord, GansuRecords, TokenFetch } from './records.js';
import type { TokenResult } from '../../platforms/gansu/client.js';

export interface GansuAccount {
  loginId: string;
  /** RSA-encrypted password, fresh for every token (random padding). */
  encryptedPassword: () => string;
  appKey: string;
}

export interface GansuWorkerDeps {
  knex: Knex;
  client: GansuClient;
  pacer: AccountPacer;
  records: GansuRecords;
  account: (unitId: number) => Promise<GansuAccount | null>;
  log: Logger;
  now?: () => number;
  changed?: () => void;
}

export interface GansuWorkerOptions {
  /** Wait after an unknown outcome before the same rows go again with the same token. */
  unknownGraceMs: number;
  backoff: BackoffOptions;
  idleMs: number;
}

/** Rows per write transaction when a call's records change state. */
const SLICE = 2_500;
const slices = (ids: readonly number[]): number[][] => Array.from({ length: Math.ceil(ids.length / SLICE) }, (_, i) => ids.slice(i * SLICE, (i + 1) * SLICE));

/** 402 answers in a row that prove a resend's token spent (see token-invalid below). */
export const SPENT_VOTES = 3;

/**
 * Where a call's records go, and what the call itself showed: `code` is the platform's result code
 * (the body's `code`, the HTTP status when there was none), `ms` its round trip — both kept on the
 * call's `upload_batches` row for the upload monitor.
 */
type Settle = { accepted: number[]; rejected: Map<string, number[]>; pending: number[]; unknown: number[]; event: string; message: string | null; code?: number | null; ms?: number | null };

const elapsed = (since: number): number => Math.round(performance.now() - since);

/**
 * Drains the Gansu rows: per platform account one call at a time, ≤ 10 000 rows, a fresh token
 * for every call, paced to one call per second. Exactly once without a query interface: the token
 * is stored with the call before it is sent; an unknown outcome sends the same rows with the same
 * token again — stored before → 402 (the token is spent) → accepted; not stored → stored now.
 * A 454 naming rows rejects those rows and sends the rest again; one naming none halves the call
 * until the bad row stands alone.
 */
export class GansuWorker {
  private readonly repo = new OutboxRepository();
  private readonly now: () => number;
  private readonly maxRows = new Map<number, number>();
  private readonly backoff = new Map<number, EndpointBackoff>();
  private stopped = true;
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private again = false;
  /** Consecutive 402s a resend's token got, per call: one could be a platform hiccup, several are a spent token. */
  private readonly spentVotes = new Map<number, number>();

  constructor(
    private readonly d: GansuWorkerDeps,
    private readonly o: GansuWorkerOptions,
  ) {
    this.now = d.now ?? Date.now;
  }

  async start(): Promise<void> {
    const at = this.now();
    await withWriteTx(this.d.knex, async (trx) => {
      const { unknown, pending } = await this.d.records.interrupted(trx, at);
      await this.repo.transition(trx, unknown, ['sending'], 'unknown', { batchId: null, event: 'interrupted', message: 'the call was on its way when the workstation stopped', at, nextAttemptAt: at });
      await this.repo.transition(trx, pending, ['sending'], 'pending', { batchId: null, event: 'not-sent', message: 'the workstation stopped before the call was sent', at, nextAttemptAt: at });
    });
    this.stopped = false;
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        if (this.stopped) return;
        const at = this.now();
        const units = [...new Set([...(await this.d.records.unitsWith(this.d.knex, 'unknown')), ...(await this.d.records.unitsWith(this.d.knex, 'pending'))])];
        let worked = false;
        // Accounts take turns; each is paced on its own, so they do not wait for one another's second.
        await Promise.all(units.map(async (unitId) => (worked = (await this.step(unitId)) || worked)));
        if (!worked) break;
      }
    } catch (err) {
      this.d.log.error({ err: (err as Error).message }, 'Gansu upload failed');
    }
    if (!this.stopped) {
      // Sleep until the next row is due (a wait after an unknown outcome or a 453), at most idleMs.
      const next = (await this.d.knex('upload_records').where({ platform: 'gansu' }).whereIn('state', ['pending', 'unknown']).min({ at: 'next_attempt_at' }).first().catch(() => undefined)) as { at: number | null } | undefined;
      const wait = next?.at === null || next?.at === undefined ? this.o.idleMs : Math.max(20, Math.min(this.o.idleMs, Number(next.at) - this.now()));
      this.timer = setTimeout(() => this.wake(), wait);
      this.timer.unref?.();
    }
  }

  private backoffOf(unitId: number): EndpointBackoff {
    let b = this.backoff.get(unitId);
    if (!b) this.backoff.set(unitId, (b = new EndpointBackoff(this.o.backoff)));
    return b;
  }

  /** One call for the unit's account; false when it had nothing due (or no credentials). */
  private async step(unitId: number): Promise<boolean> {
    const at = this.now();
    if (this.backoffOf(unitId).holdUntil(at)) return false;
    const account = await this.d.account(unitId);
    if (!account) return false;
    const doubtful = await this.d.records.unknownCall(this.d.knex, unitId, at);
    if (doubtful) {
      await this.resend(unitId, account, doubtful);
      return true;
    }
    const limit = this.maxRows.get(unitId) ?? GANSU_MAX_ROWS;
    // Read, decrypt and check outside the write transaction: scans at the counter must not wait
    // behind 10 000 decryptions. The claim below only takes rows that are still pending.
    const records = await this.d.records.pending(this.d.knex, unitId, at, limit);
    if (records.length === 0) return false;
    const checked = records.map((r) => ({ r, problems: checkRow(r.row) }));
    for (const b of checked.filter((x) => x.problems.length)) {
      await withWriteTx(this.d.knex, (trx) => this.repo.transition(trx, [b.r.id], ['pending'], 'rejected', { batchId: null, event: 'refused-locally', message: b.problems.map((p) => p['zh-CN']).join('；'), at }));
    }
    const good = checked.filter((x) => !x.problems.length).map((x) => x.r);
    if (good.length === 0) return false;
    const batchId = await withWriteTx(this.d.knex, (trx) => this.d.records.openBatch(trx, unitId, good.map((r) => r.id), at));
    // Claimed in slices: every slice is committed before the call goes out, and the scans at the
    // counter get the write lock between slices instead of waiting behind 10 000 rows.
    for (const slice of slices(good.map((r) => r.id))) {
      await withWriteTx(this.d.knex, (trx) => this.repo.transition(trx, slice, ['pending'], 'sending', { batchId, event: 'sent', message: null, at, countAttempt: true }));
    }
    const taken = new Set(((await this.d.knex('upload_records').where({ batch_id: batchId, state: 'sending' }).pluck('id')) as Array<number | string>).map(Number));
    if (taken.size === 0) {
      // Another worker (shared PostgreSQL) claimed them first: this call is empty.
      await withWriteTx(this.d.knex, (trx) => this.repo.closeBatch(trx, batchId, { outcome: 'empty', at }));
      return false;
    }
    const claimed = { batchId, records: good.filter((r) => taken.has(r.id)) };
    const asked = performance.now();
    const token = await this.d.client.getToken(account.loginId, account.encryptedPassword());
    const tokenMs = elapsed(asked);
    if (!token.ok) {
      await withWriteTx(this.d.knex, (trx) => this.d.records.logTokenFetch(trx, unitId, tokenFetchOf(token, tokenMs, at)));
      const message = token.kind === 'refused' ? `获取 token 失败：${token.msg}` : token.message;
      await this.finish(claimed.batchId, { accepted: [], rejected: new Map(), pending: claimed.records.map((r) => r.id), unknown: [], event: 'not-sent', message }, 'not-sent', this.backoffOf(unitId).failed(this.now()));
      return true;
    }
    // The token goes to the database before the rows go to the platform: it is the call's key.
    await withWriteTx(this.d.knex, async (trx) => {
      await this.d.records.setToken(trx, claimed.batchId, token.token);
      await this.d.records.logTokenFetch(trx, unitId, tokenFetchOf(token, tokenMs, at));
    });
    const body = prepareRows(claimed.records.map((r) => r.row));
    await this.d.pacer.turn(account.loginId);
    const sent = performance.now();
    const out = await this.d.client.saveSaleData(token.token, account.appKey, body);
    await this.settle(unitId, account, claimed.batchId, claimed.records, out, false, elapsed(sent));
    return true;
  }

  private async resend(unitId: number, account: GansuAccount, call: { batchId: number; token: string | null; records: GansuRecord[] }): Promise<void> {
    if (!call.token) {
      // No token was ever stored for it: it was never sent.
      await this.finish(call.batchId, { accepted: [], rejected: new Map(), pending: call.records.map((r) => r.id), unknown: [], event: 'not-sent', message: null }, 'not-sent', this.now(), ['unknown']);
      return;
    }
    const body = prepareRows(call.records.map((r) => r.row));
    await this.d.pacer.turn(account.loginId);
    const sent = performance.now();
    const out = await this.d.client.saveSaleData(call.token, account.appKey, body);
    await this.settle(unitId, account, call.batchId, call.records, out, true, elapsed(sent));
  }

  private async settle(unitId: number, account: GansuAccount, batchId: number, records: GansuRecord[], out: SaveOutcome, resend: boolean, ms: number): Promise<void> {
    const ids = records.map((r) => r.id);
    const from: Array<'sending' | 'unknown'> = resend ? ['unknown'] : ['sending'];
    const code = out.phase === 'answered' ? (out.code ?? out.httpStatus) : out.phase === 'unknown' ? (out.httpStatus ?? null) : null;
    const none = { accepted: [] as number[], rejected: new Map<string, number[]>(), pending: [] as number[], unknown: [] as number[], code, ms: out.phase === 'answered' ? Math.round(out.ms) : ms };
    const at = this.now();
    const back = this.backoffOf(unitId);
    if (out.phase === 'not-sent') return this.finish(batchId, { ...none, ...(resend ? { unknown: ids } : { pending: ids }), event: 'not-sent', message: out.message }, 'not-sent', back.failed(at), from);
    if (out.phase === 'unknown') return this.finish(batchId, { ...none, unknown: ids, event: 'unknown', message: out.message }, 'unknown', at + this.o.unknownGraceMs, from);
    const v: SaveVerdict = out.verdict;
    back.succeeded();
    if (v.kind !== 'token-invalid') this.spentVotes.delete(batchId);
    switch (v.kind) {
      case 'accepted':
        this.maxRows.delete(unitId);
        return this.finish(batchId, { ...none, accepted: ids, event: resend ? 'resolved-accepted' : 'accepted', message: out.msg || null }, 'accepted', at, from);
      case 'token-invalid': {
        if (!resend) return this.finish(batchId, { ...none, pending: ids, event: 'token-invalid', message: v.message }, 'refused', at, from);
        // A resend's 402 means its token was spent — by the first send, which was stored. A
        // platform may also answer 402 once for a token it did not spend; a spent token answers
        // 402 every time, so the verdict waits for SPENT_VOTES answers in a row.
        const votes = (this.spentVotes.get(batchId) ?? 0) + 1;
        if (votes < SPENT_VOTES) {
          this.spentVotes.set(batchId, votes);
          return this.finish(batchId, { ...none, unknown: ids, event: 'token-402', message: `${v.message}（第 ${votes} 次）` }, 'unknown', at, from);
        }
        this.spentVotes.delete(batchId);
        return this.finish(batchId, { ...none, accepted: ids, event: 'resolved-accepted', message: `同一 token 重发连续 ${SPENT_VOTES} 次得 402：首次调用已入库 / the first call was stored` }, 'accepted', at, from);
      }
      case 'too-fast':
        this.d.pacer.holdOff(account.loginId, v.retryAfterMs);
        return this.finish(batchId, { ...none, ...(resend ? { unknown: ids } : { pending: ids }), event: 'too-fast', message: v.message }, 'refused', at + v.retryAfterMs, from);
      case 'too-many-rows':
        this.maxRows.set(unitId, Math.max(1, Math.floor(ids.length / 2)));
        return this.finish(batchId, { ...none, pending: ids, event: 'split', message: v.message }, 'refused', at, from);
      case 'rejected-rows': {
        const byRow = problemsByRow(v.problems);
        const rejected = new Map<string, number[]>();
        records.forEach((r, i) => {
          const p = byRow.get(i + 1);
          if (p) rejected.set(p.join('；'), [...(rejected.get(p.join('；')) ?? []), r.id]);
        });
        if (rejected.size === 0) {
          // The platform named no row: halve the call until the bad row stands alone.
          if (ids.length === 1) rejected.set(v.message, ids);
          else this.maxRows.set(unitId, Math.max(1, Math.floor(ids.length / 2)));
        }
        const named = new Set([...rejected.values()].flat());
        return this.finish(batchId, { ...none, rejected, pending: ids.filter((id) => !named.has(id)), event: 'rejected', message: v.message }, 'partial', at, from);
      }
      case 'refused':
        return this.finish(batchId, { ...none, rejected: new Map([[`${v.code} ${v.message}`, ids]]), event: 'rejected', message: v.message }, 'refused', at, from);
      case 'unknown':
        return this.finish(batchId, { ...none, unknown: ids, event: 'unknown', message: v.message }, 'unknown', at + this.o.unknownGraceMs, from);
    }
  }

  private async finish(batchId: number, s: Settle, outcome: string, nextAttemptAt: number, from: Array<'sending' | 'unknown'> = ['sending']): Promise<void> {
    const at = this.now();
    // In slices, like the claim: a crash between slices leaves the rest `sending`, which a restart
    // settles with the same token — nothing is lost or sent twice.
    const moves: Array<[number[], 'accepted' | 'pending' | 'unknown']> = [[s.accepted, 'accepted'], [s.pending, 'pending'], [s.unknown, 'unknown']];
    for (const [ids, to] of moves) {
      for (const slice of slices(ids)) {
        await withWriteTx(this.d.knex, (trx) => this.repo.transition(trx, slice, from, to, { batchId, event: s.event, message: s.message, at, ...(to === 'accepted' ? {} : { nextAttemptAt }) }));
      }
    }
    await withWriteTx(this.d.knex, async (trx) => {
      for (const [message, ids] of s.rejected) await this.repo.transition(trx, ids, from, 'rejected', { batchId, event: 'rejected', message, at });
      await this.repo.closeBatch(trx, batchId, { outcome, message: s.message, httpStatus: s.code ?? null, ms: s.ms ?? null, at });
    });
    this.d.changed?.();
  }

}

/** A token fetch as the monitor shows it; the token itself is never written anywhere but the call. */
function tokenFetchOf(t: TokenResult, ms: number, at: number): TokenFetch {
  if (t.ok) return { at, outcome: 'accepted', code: 200, message: null, ms };
  if (t.kind === 'refused') return { at, outcome: 'refused', code: t.code ?? t.httpStatus, message: t.msg, ms };
  return { at, outcome: t.kind, code: null, message: t.message, ms };
}
