import type { Knex } from 'knex';
import type { GrantsRepository } from '../../db/repositories/grants.repository.js';
import type { OperatorRow, OperatorsRepository } from '../../db/repositories/operators.repository.js';
import type { SessionsRepository } from '../../db/repositories/sessions.repository.js';
import { isUniqueViolation, withWriteTx } from '../../db/repositories/tx.js';
import type { UnitsRepository } from '../../db/repositories/units.repository.js';
import {
  bindingBody,
  createOperatorBody,
  grantBody,
  resetPasswordBody,
  stationCredentialBody,
  updateOperatorBody,
  type BindingBody,
  type CreateOperatorBody,
  type GrantBody,
  type GrantView,
  type OperatorView,
  type ResetPasswordBody,
  type StationCredentialBody,
  type UpdateOperatorBody,
} from '../contract/accounts.js';
import type { BlindIndex, FieldCipher } from '../security/field-crypto.js';
import { hashPassword } from '../security/passwords.js';
import { parseOr400 } from '../validate.js';
import { AppError } from './app-error.js';
import { ID_NUMBER_CONTEXT, PHONE_CONTEXT, toGrantView, toOperatorViews } from './account-views.js';
import type { AuditService } from './audit.service.js';
import { actorOf, type AuthService, type SessionContext } from './auth.service.js';
import { assertPasswordPolicy } from './lockout.js';
import { LocalizedAppError } from './localized-error.js';

export interface OperatorsRepos {
  operators: OperatorsRepository;
  grants: GrantsRepository;
  sessions: SessionsRepository;
  units: UnitsRepository;
}

export const BADGE_CONTEXT = 'operators.badge';

/** 经办人: personal accounts, their unit bindings and per-unit business grants (NHSA guide, 单位经办人). */
export class OperatorsService {
  constructor(
    private readonly knex: Knex,
    private readonly repos: OperatorsRepos,
    private readonly cipher: FieldCipher,
    private readonly badges: BlindIndex,
    private readonly audit: AuditService,
    private readonly auth: AuthService,
    private readonly now: () => number = Date.now,
  ) {}

  async list(ctx: SessionContext): Promise<OperatorView[]> {
    await this.auth.requireAdmin(ctx);
    const ops = await this.repos.operators.list();
    return this.views(ops);
  }

  async get(ctx: SessionContext, id: number): Promise<OperatorView> {
    if (id !== ctx.operatorId) await this.auth.requireAdmin(ctx);
    return (await this.views([await this.require(id)]))[0]!;
  }

  async create(ctx: SessionContext, body: CreateOperatorBody): Promise<OperatorView> {
    await this.auth.requireAdmin(ctx);
    const b = parseOr400(createOperatorBody, body);
    assertPasswordPolicy(b.password, b.username);
    const passwordHash = await hashPassword(b.password);
    try {
      const op = await withWriteTx(this.knex, async (trx) => {
        const row = await this.repos.operators.insert(
          trx,
          {
            username: b.username,
            displayName: b.displayName,
            phoneEnc: this.cipher.encryptOptional(b.phone, PHONE_CONTEXT),
            idNumberEnc: this.cipher.encryptOptional(b.idNumber?.toUpperCase(), ID_NUMBER_CONTEXT),
            passwordHash,
            // Set by someone else: the operator chooses their own at first login.
            mustChangePassword: true,
            isAdmin: b.isAdmin ?? false,
          },
          this.now(),
        );
        await this.audit.append(trx, { actor: actorOf(ctx), action: 'operator.created', detail: { operatorId: row.id, username: row.username, isAdmin: row.isAdmin } });
        return row;
      });
      return (await this.views([op]))[0]!;
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('USERNAME_TAKEN', 409);
      throw err;
    }
  }

  async update(ctx: SessionContext, id: number, body: UpdateOperatorBody): Promise<OperatorView> {
    await this.auth.requireAdmin(ctx);
    const b = parseOr400(updateOperatorBody, body);
    if (id === ctx.operatorId && (b.disabled === true || b.isAdmin === false)) throw new AppError('SELF_LOCKOUT', 409);
    const now = this.now();
    const op = await withWriteTx(this.knex, async (trx) => {
      const row = await this.repos.operators.update(
        trx,
        id,
        {
          displayName: b.displayName,
          phoneEnc: b.phone === undefined ? undefined : this.cipher.encryptOptional(b.phone, PHONE_CONTEXT),
          idNumberEnc: b.idNumber === undefined ? undefined : this.cipher.encryptOptional(b.idNumber?.toUpperCase(), ID_NUMBER_CONTEXT),
          isAdmin: b.isAdmin,
          disabled: b.disabled,
        },
        now,
      );
      if (!row) throw new AppError('OPERATOR_NOT_FOUND', 404);
      const ended = b.disabled ? await this.repos.sessions.revokeAllFor(trx, id, now) : 0;
      await this.audit.append(trx, { actor: actorOf(ctx), action: 'operator.updated', detail: { operatorId: id, fields: Object.keys(b).sort(), sessionsEnded: ended } });
      return row;
    });
    return (await this.views([op]))[0]!;
  }

  /** Admin reset: policy applies, the operator must change it at next login, open sessions end, lock lifts. */
  async resetPassword(ctx: SessionContext, id: number, body: ResetPasswordBody): Promise<void> {
    await this.auth.requireAdmin(ctx);
    const { password } = parseOr400(resetPasswordBody, body);
    const op = await this.require(id);
    assertPasswordPolicy(password, op.username);
    const passwordHash = await hashPassword(password);
    const now = this.now();
    await withWriteTx(this.knex, async (trx) => {
      await this.repos.operators.update(trx, id, { passwordHash, mustChangePassword: true, passwordChangedAt: now, failedCount: 0, lockedUntil: null }, now);
      const ended = await this.repos.sessions.revokeAllFor(trx, id, now);
      await this.audit.append(trx, { actor: actorOf(ctx), action: 'password.reset', detail: { operatorId: id, sessionsEnded: ended } });
    });
  }

  /** Badge (stored as a keyed hash, so it can be found by a scan) and PIN (argon2id) for station unlock. */
  async setStationCredentials(ctx: SessionContext, id: number, body: StationCredentialBody): Promise<void> {
    if (id !== ctx.operatorId) await this.auth.requireAdmin(ctx);
    const b = parseOr400(stationCredentialBody, body);
    await this.require(id);
    const badgeHash = b.badge === undefined ? undefined : this.badges.of(b.badge, BADGE_CONTEXT);
    const pinHash = b.pin === undefined ? undefined : await hashPassword(b.pin);
    try {
      await withWriteTx(this.knex, async (trx) => {
        await this.repos.operators.update(trx, id, { badgeHash, pinHash }, this.now());
        await this.audit.append(trx, { actor: actorOf(ctx), action: 'operator.station_credentials_changed', detail: { operatorId: id, badge: b.badge !== undefined, pin: b.pin !== undefined } });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('BADGE_TAKEN', 409);
      throw err;
    }
  }

  async bind(ctx: SessionContext, body: BindingBody): Promise<OperatorView> {
    const b = parseOr400(bindingBody, body);
    await this.auth.requireAdmin(ctx, b.unitId);
    await withWriteTx(this.knex, async (trx) => {
      await this.requireBoth(b.operatorId, b.unitId, trx);
      if (await this.repos.grants.bind(trx, b.operatorId, b.unitId, this.now())) {
        await this.audit.append(trx, { actor: actorOf(ctx), action: 'operator.bound', unitId: b.unitId, detail: { operatorId: b.operatorId } });
      }
    });
    return this.get(ctx, b.operatorId);
  }

  /** Unbinding revokes that unit's grants of the operator in the same transaction (each audited). */
  async unbind(ctx: SessionContext, body: BindingBody): Promise<void> {
    const b = parseOr400(bindingBody, body);
    await this.auth.requireAdmin(ctx, b.unitId);
    await withWriteTx(this.knex, async (trx) => {
      const r = await this.repos.grants.unbind(trx, b.operatorId, b.unitId);
      for (const business of r.revoked) {
        await this.audit.append(trx, { actor: actorOf(ctx), action: 'grant.revoked', unitId: b.unitId, detail: { operatorId: b.operatorId, business, cause: 'unbound' } });
      }
      if (r.unbound) await this.audit.append(trx, { actor: actorOf(ctx), action: 'operator.unbound', unitId: b.unitId, detail: { operatorId: b.operatorId } });
    });
  }

  async grants(ctx: SessionContext, unitId: number): Promise<GrantView[]> {
    await this.auth.requireAdmin(ctx, unitId);
    return (await this.repos.grants.list({ unitId })).map(toGrantView);
  }

  /**
   * NHSA guide: 一个业务只能授权给一个经办人 — for platform upload, a second holder is refused
   * (revoke first). The unique partial index grants_one_uploader_uq enforces it in the database
   * too, so two concurrent requests cannot both win even across processes.
   */
  async grant(ctx: SessionContext, body: GrantBody): Promise<GrantView> {
    const b = parseOr400(grantBody, body);
    await this.auth.requireAdmin(ctx, b.unitId);
    try {
      return await withWriteTx(this.knex, async (trx) => {
        await this.requireBoth(b.operatorId, b.unitId, trx);
        if (!(await this.repos.grants.isBound(b.operatorId, b.unitId, trx))) throw new AppError('GRANT_NOT_BOUND', 409);
        if (b.business === 'upload') {
          const [holder] = await this.repos.grants.list({ unitId: b.unitId, business: 'upload' }, trx);
          if (holder && holder.operatorId !== b.operatorId) throw await this.uploadHeld(b.unitId, trx);
        }
        const now = this.now();
        if (await this.repos.grants.grant(trx, { operatorId: b.operatorId, unitId: b.unitId, business: b.business, grantedBy: ctx.operatorId }, now)) {
          await this.audit.append(trx, { actor: actorOf(ctx), action: 'grant.added', unitId: b.unitId, detail: { operatorId: b.operatorId, business: b.business } });
        }
        const [g] = await this.repos.grants.list({ operatorIds: [b.operatorId], unitId: b.unitId, business: b.business }, trx);
        return toGrantView(g!);
      });
    } catch (err) {
      if (isUniqueViolation(err, 'grants_one_uploader_uq', 'grants.unit_id')) throw await this.uploadHeld(b.unitId, this.knex);
      throw err;
    }
  }

  async revoke(ctx: SessionContext, body: GrantBody): Promise<void> {
    const b = parseOr400(grantBody, body);
    await this.auth.requireAdmin(ctx, b.unitId);
    await withWriteTx(this.knex, async (trx) => {
      if (!(await this.repos.grants.revoke(trx, b.operatorId, b.unitId, b.business))) throw new AppError('GRANT_NOT_FOUND', 404);
      await this.audit.append(trx, { actor: actorOf(ctx), action: 'grant.revoked', unitId: b.unitId, detail: { operatorId: b.operatorId, business: b.business } });
    });
  }

  /** The clear personal data of an operator, for an admin who gives a reason; the reveal is audited. */
  async revealPersonalData(ctx: SessionContext, id: number, reason: string): Promise<{ phone: string | null; idNumber: string | null }> {
    await this.auth.requireAdmin(ctx);
    const why = reason.trim();
    if (why.length < 2 || why.length > 200) throw new AppError('VALIDATION_FAILED', 400, { issues: [{ path: 'reason', message: 'a reason of 2–200 characters is required' }] });
    const op = await this.require(id);
    await withWriteTx(this.knex, (trx) => this.audit.append(trx, { actor: actorOf(ctx), action: 'personal_data.unmasked', detail: { operatorId: id, reason: why } }));
    return { phone: this.cipher.decryptOptional(op.phoneEnc, PHONE_CONTEXT), idNumber: this.cipher.decryptOptional(op.idNumberEnc, ID_NUMBER_CONTEXT) };
  }

  private async uploadHeld(unitId: number, q: Knex | Knex.Transaction): Promise<LocalizedAppError> {
    const [holder] = await this.repos.grants.list({ unitId, business: 'upload' }, q);
    const who = holder ? ((await this.repos.operators.get(holder.operatorId, q))?.displayName ?? `#${holder.operatorId}`) : '?';
    return new LocalizedAppError('UPLOAD_GRANT_HELD', 409, {
      'zh-CN': `该单位的「平台上传」业务已授权给经办人「${who}」。一个业务只能授权给一个经办人，请先取消其授权再重新授权`,
      en: `The “platform upload” business of this unit is held by operator “${who}”. It can be granted to one operator only — revoke it first, then grant again`,
    });
  }

  private async require(id: number): Promise<OperatorRow> {
    const op = await this.repos.operators.get(id);
    if (!op) throw new AppError('OPERATOR_NOT_FOUND', 404);
    return op;
  }

  private async requireBoth(operatorId: number, unitId: number, trx: Knex.Transaction): Promise<void> {
    if (!(await this.repos.operators.get(operatorId, trx))) throw new AppError('OPERATOR_NOT_FOUND', 404);
    if (!(await this.repos.units.get(unitId, trx))) throw new AppError('UNIT_NOT_FOUND', 404);
  }

  private async views(ops: OperatorRow[]): Promise<OperatorView[]> {
    const ids = ops.map((o) => o.id);
    const [bindings, grants] = await Promise.all([this.repos.grants.bindings({ operatorIds: ids }), this.repos.grants.list({ operatorIds: ids })]);
    return toOperatorViews(ops, bindings, grants, this.cipher);
  }
}
