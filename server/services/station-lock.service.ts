import type { Knex } from 'knex';
import type { OperatorRow, OperatorsRepository } from '../../db/repositories/operators.repository.js';
import { withWriteTx } from '../../db/repositories/tx.js';
import { unlockBody, type UnlockBody } from '../contract/accounts.js';
import type { JsonValue } from '../security/audit-chain.js';
import type { BlindIndex } from '../security/field-crypto.js';
import { burnVerifyTime, verifyPassword } from '../security/passwords.js';
import { parseOr400 } from '../validate.js';
import { AppError } from './app-error.js';
import type { AuditService } from './audit.service.js';
import type { LockoutPolicy } from './lockout.js';
import { BADGE_CONTEXT } from './operators.service.js';

export interface UnlockedBy {
  operatorId: number;
  username: string;
  displayName: string;
}

/**
 * A station screen left at the dock is locked and unlocked by scanning an operator badge or typing
 * a PIN. PINs are short, so their failures count toward the same lockout as passwords.
 */
export class StationLockService {
  constructor(
    private readonly knex: Knex,
    private readonly operators: OperatorsRepository,
    private readonly badges: BlindIndex,
    private readonly lockout: LockoutPolicy,
    private readonly audit: AuditService,
    private readonly now: () => number = Date.now,
  ) {}

  async unlock(body: UnlockBody, stationId?: number): Promise<UnlockedBy> {
    const b = parseOr400(unlockBody, body);
    const where: { [key: string]: JsonValue } = stationId === undefined ? {} : { stationId };
    if ('badge' in b) {
      const op = await this.operators.findByBadgeHash(this.badges.of(b.badge, BADGE_CONTEXT));
      if (!op || op.disabled) {
        await this.audit.record({ actor: { id: op?.id ?? null, name: op?.username ?? 'unknown badge' }, action: 'station.unlock_failed', detail: { method: 'badge', ...where } });
        throw new AppError('UNLOCK_FAILED', 401);
      }
      await this.lockout.refuseIfLocked(op, 'station_unlock', where);
      return this.succeed(op, 'badge', where);
    }
    const op = await this.operators.get(b.operatorId);
    if (!op || op.disabled || op.pinHash === null) {
      await burnVerifyTime(b.pin);
      await this.audit.record({ actor: { id: op?.id ?? null, name: op?.username ?? `#${b.operatorId}` }, action: 'station.unlock_failed', detail: { method: 'pin', reason: 'no_pin', ...where } });
      throw new AppError('UNLOCK_FAILED', 401);
    }
    await this.lockout.refuseIfLocked(op, 'station_unlock', where);
    if (!(await verifyPassword(op.pinHash, b.pin))) {
      await this.lockout.fail(op, 'station_unlock', 'wrong_pin', where);
      throw new AppError('UNLOCK_FAILED', 401);
    }
    return this.succeed(op, 'pin', where);
  }

  private async succeed(op: OperatorRow, method: 'badge' | 'pin', where: { [key: string]: JsonValue }): Promise<UnlockedBy> {
    await withWriteTx(this.knex, async (trx) => {
      if (method === 'pin' && op.failedCount > 0) await this.operators.update(trx, op.id, { failedCount: 0, lockedUntil: null }, this.now());
      await this.audit.append(trx, { actor: { id: op.id, name: op.username }, action: 'station.unlocked', detail: { method, ...where } });
    });
    return { operatorId: op.id, username: op.username, displayName: op.displayName };
  }
}
