import type { Knex } from 'knex';
import type { OperatorRow, OperatorsRepository } from '../../db/repositories/operators.repository.js';
import { withWriteTx } from '../../db/repositories/tx.js';
import type { JsonValue } from '../security/audit-chain.js';
import { checkPassword, PASSWORD_PROBLEM_MESSAGES } from '../security/password-policy.js';
import { AppError } from './app-error.js';
import type { AuditService } from './audit.service.js';
import { LocalizedAppError } from './localized-error.js';

export interface LockoutOptions {
  /** Failures (login, password change, PIN) before the account locks (default 5). */
  maxFailures?: number;
  /** First lock; doubles with every further failure (default 1 min). */
  lockBaseMs?: number;
  /** Longest lock (default 1 h). */
  lockMaxMs?: number;
  now?: () => number;
}

type Via = { [key: string]: JsonValue };

/**
 * Lockout with exponential backoff: after N failures the account locks for lockBaseMs, each
 * further failure after the lock ends doubles it. While locked the password is not even checked,
 * so a guesser learns nothing. Only a success resets the count. Every failure is audited.
 */
export class LockoutPolicy {
  readonly maxFailures: number;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly now: () => number;

  constructor(
    private readonly knex: Knex,
    private readonly operators: OperatorsRepository,
    private readonly audit: AuditService,
    o: LockoutOptions = {},
  ) {
    this.maxFailures = o.maxFailures ?? 5;
    this.baseMs = o.lockBaseMs ?? 60_000;
    this.maxMs = o.lockMaxMs ?? 3_600_000;
    this.now = o.now ?? Date.now;
  }

  lockDuration(failures: number): number {
    if (failures < this.maxFailures) return 0;
    return Math.min(this.baseMs * 2 ** Math.min(failures - this.maxFailures, 30), this.maxMs);
  }

  async refuseIfLocked(op: OperatorRow, context: string, via: Via = {}): Promise<void> {
    if (op.lockedUntil === null || op.lockedUntil <= this.now()) return;
    await this.audit.record({ actor: { id: op.id, name: op.username }, action: 'login.refused_locked', detail: { context, lockedUntil: op.lockedUntil, ...via } });
    throw new AppError('ACCOUNT_LOCKED', 429);
  }

  /** Counts one failure; throws ACCOUNT_LOCKED when this failure locks the account. */
  async fail(op: OperatorRow, context: string, reason: string, via: Via = {}): Promise<void> {
    const now = this.now();
    const lockedUntil = await withWriteTx(this.knex, async (trx) => {
      const failures = await this.operators.recordFailure(trx, op.id, now);
      const lockMs = this.lockDuration(failures);
      const until = lockMs > 0 ? now + lockMs : null;
      if (until !== null) await this.operators.update(trx, op.id, { lockedUntil: until }, now);
      const action = context === 'login' ? 'login.failed' : context === 'station_unlock' ? 'station.unlock_failed' : 'password.change_failed';
      await this.audit.append(trx, { actor: { id: op.id, name: op.username }, action, detail: { context, reason, failures, lockedUntil: until, ...via } });
      return until;
    });
    if (lockedUntil !== null) throw new AppError('ACCOUNT_LOCKED', 429);
  }
}

/** Gansu notice §四 / DOMAIN §9 on every set: bootstrap, creation, reset, change. */
export function assertPasswordPolicy(password: string, username?: string): void {
  const r = checkPassword(password, { username });
  if (r.ok) return;
  throw new LocalizedAppError(
    'PASSWORD_POLICY',
    400,
    { 'zh-CN': r.problems.map((p) => PASSWORD_PROBLEM_MESSAGES[p]['zh-CN']).join('；'), en: r.problems.map((p) => PASSWORD_PROBLEM_MESSAGES[p].en).join('; ') },
    r.problems.map((p) => ({ path: 'password', messages: PASSWORD_PROBLEM_MESSAGES[p] })),
  );
}
