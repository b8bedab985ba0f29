import type { Knex } from 'knex';
import type { GrantsRepository } from '../../db/repositories/grants.repository.js';
import type { OperatorRow, OperatorsRepository } from '../../db/repositories/operators.repository.js';
import type { SessionsRepository } from '../../db/repositories/sessions.repository.js';
import type { UnitsRepository } from '../../db/repositories/units.repository.js';
import { withWriteTx } from '../../db/repositories/tx.js';
import {
  BUSINESS_LABELS,
  changePasswordBody,
  chooseUnitBody,
  loginBody,
  type Business,
  type ChangePasswordBody,
  type ChooseUnitBody,
  type LoginBody,
  type LoginResult,
  type SessionView,
} from '../contract/accounts.js';
import type { JsonValue } from '../security/audit-chain.js';
import { burnVerifyTime, generatePassword, hashPassword, verifyPassword } from '../security/passwords.js';
import { hashSessionToken, isWellFormedToken, newSessionToken } from '../security/session-tokens.js';
import { parseOr400 } from '../validate.js';
import { AppError } from './app-error.js';
import type { AuditActor, AuditService } from './audit.service.js';
import { LocalizedAppError } from './localized-error.js';
import { assertPasswordPolicy, LockoutPolicy, type LockoutOptions } from './lockout.js';

export interface AuthOptions extends LockoutOptions {
  /** Idle expiry: a dock PC left logged in ends its session (default 30 min). */
  idleMs?: number;
  /** Absolute expiry: at most one shift (default 12 h). */
  absoluteMs?: number;
  /** last_seen_at is written at most this often, not on every request (default 60 s). */
  touchEveryMs?: number;
  now?: () => number;
}

/** Who is calling, resolved from a session token; passed to every service method that needs it. */
export interface SessionContext {
  sessionId: number;
  operatorId: number;
  username: string;
  displayName: string;
  isAdmin: boolean;
  unitId: number | null;
  mustChangePassword: boolean;
  expiresAt: number;
}

export interface AuthRepos {
  operators: OperatorsRepository;
  sessions: SessionsRepository;
  grants: GrantsRepository;
  units: UnitsRepository;
}

export type BootstrapResult = { created: false } | { created: true; username: 'admin'; generatedPassword?: string };

export const actorOf = (ctx: SessionContext): AuditActor => ({ id: ctx.operatorId, name: ctx.username });

export class AuthService {
  private readonly now: () => number;
  private readonly idleMs: number;
  private readonly absoluteMs: number;
  private readonly touchEveryMs: number;
  readonly lockout: LockoutPolicy;

  constructor(
    private readonly knex: Knex,
    private readonly repos: AuthRepos,
    private readonly audit: AuditService,
    options: AuthOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.idleMs = options.idleMs ?? 30 * 60_000;
    this.absoluteMs = options.absoluteMs ?? 12 * 3_600_000;
    this.touchEveryMs = options.touchEveryMs ?? 60_000;
    this.lockout = new LockoutPolicy(knex, repos.operators, audit, { ...options, now: this.now });
  }

  /**
   * First start on an empty database: creates `admin` (TRACEDOCK_ADMIN_PASSWORD, or a generated
   * password returned once for printing) who must change it at first login.
   */
  async bootstrap(adminPassword?: string): Promise<BootstrapResult> {
    if ((await this.repos.operators.count()) > 0) return { created: false };
    const password = adminPassword ?? generatePassword();
    assertPasswordPolicy(password, 'admin');
    const passwordHash = await hashPassword(password);
    const created = await withWriteTx(this.knex, async (trx) => {
      if ((await this.repos.operators.count(trx)) > 0) return false;
      const op = await this.repos.operators.insert(trx, { username: 'admin', displayName: '管理员', phoneEnc: null, idNumberEnc: null, passwordHash, mustChangePassword: true, isAdmin: true }, this.now());
      await this.audit.append(trx, { actor: { id: null, name: 'system' }, action: 'admin.bootstrapped', detail: { operatorId: op.id, passwordSource: adminPassword ? 'environment' : 'generated' } });
      return true;
    });
    if (!created) return { created: false };
    return adminPassword ? { created: true, username: 'admin' } : { created: true, username: 'admin', generatedPassword: password };
  }

  async login(body: LoginBody, meta: { ip?: string } = {}): Promise<LoginResult> {
    const { username, password } = parseOr400(loginBody, body);
    const op = await this.repos.operators.findByUsername(username);
    const via: { [key: string]: JsonValue } = meta.ip ? { ip: meta.ip.slice(0, 64) } : {};
    if (!op || op.disabled) {
      await burnVerifyTime(password);
      await this.audit.record({ actor: { id: op?.id ?? null, name: username }, action: 'login.failed', detail: { reason: op ? 'disabled' : 'unknown_user', ...via } });
      throw new AppError('LOGIN_FAILED', 401);
    }
    await this.lockout.refuseIfLocked(op, 'login', via);
    if (!(await verifyPassword(op.passwordHash, password))) {
      await this.lockout.fail(op, 'login', 'wrong_password', via);
      throw new AppError('LOGIN_FAILED', 401);
    }
    const token = newSessionToken();
    const now = this.now();
    const session = await withWriteTx(this.knex, async (trx) => {
      await this.repos.operators.update(trx, op.id, { failedCount: 0, lockedUntil: null }, now);
      const s = await this.repos.sessions.insert(trx, { tokenHash: hashSessionToken(token), operatorId: op.id, expiresAt: now + this.absoluteMs }, now);
      await this.audit.append(trx, { actor: { id: op.id, name: op.username }, action: 'login.succeeded', detail: { sessionId: s.id, ...via } });
      return s;
    });
    const ctx = toContext(op, session.id, null, session.expiresAt);
    return { token, session: await this.view(ctx) };
  }

  /** Resolves a token (cookie or socket handshake) to its caller; forged, expired or revoked → 401. */
  async authenticate(token: unknown): Promise<SessionContext> {
    if (token === undefined || token === null || token === '') throw new AppError('AUTH_REQUIRED', 401);
    if (!isWellFormedToken(token)) throw new AppError('SESSION_INVALID', 401);
    const s = await this.repos.sessions.findByTokenHash(hashSessionToken(token));
    const now = this.now();
    if (!s || s.revokedAt !== null || now >= s.expiresAt || now - s.lastSeenAt > this.idleMs) throw new AppError('SESSION_INVALID', 401);
    const op = await this.repos.operators.get(s.operatorId);
    if (!op || op.disabled) throw new AppError('SESSION_INVALID', 401);
    if (now - s.lastSeenAt >= this.touchEveryMs) await this.repos.sessions.touch(s.id, now);
    return toContext(op, s.id, s.unitId, s.expiresAt);
  }

  /** Explicit logout (NHSA guide: 退出登录). Idempotent: a second logout of the same token is a no-op. */
  async logout(token: unknown): Promise<void> {
    const ctx = await this.authenticate(token).catch(() => undefined);
    if (!ctx) return;
    await withWriteTx(this.knex, async (trx) => {
      if (await this.repos.sessions.revoke(trx, ctx.sessionId, this.now())) {
        await this.audit.append(trx, { actor: actorOf(ctx), action: 'logout', unitId: ctx.unitId, detail: { sessionId: ctx.sessionId } });
      }
    });
  }

  async view(ctx: SessionContext): Promise<SessionView> {
    const bindings = await this.repos.grants.bindings({ operatorIds: [ctx.operatorId] });
    const units = (await this.repos.units.getMany(bindings.map((b) => b.unitId))).filter((u) => !u.disabled);
    const unit = units.find((u) => u.id === ctx.unitId);
    return {
      operator: { id: ctx.operatorId, username: ctx.username, displayName: ctx.displayName, isAdmin: ctx.isAdmin },
      unit: unit ? { id: unit.id, name: unit.name, uscc: unit.uscc } : null,
      businesses: unit ? await this.repos.grants.businessesOf(ctx.operatorId, unit.id) : [],
      units: units.map((u) => ({ id: u.id, name: u.name, uscc: u.uscc })),
      mustChangePassword: ctx.mustChangePassword,
      expiresAt: ctx.expiresAt,
    };
  }

  /** NHSA guide: 经办人账号登录后, 选择对应的单位 — only a unit the operator is bound to. */
  async chooseUnit(ctx: SessionContext, body: ChooseUnitBody): Promise<SessionView> {
    const { unitId } = parseOr400(chooseUnitBody, body);
    this.requirePasswordChanged(ctx);
    const unit = await this.repos.units.get(unitId);
    if (!unit || unit.disabled) throw new AppError('UNIT_NOT_FOUND', 404);
    if (!(await this.repos.grants.isBound(ctx.operatorId, unitId))) throw new AppError('UNIT_NOT_BOUND', 403);
    await withWriteTx(this.knex, async (trx) => {
      await this.repos.sessions.setUnit(trx, ctx.sessionId, unitId, this.now());
      await this.audit.append(trx, { actor: actorOf(ctx), action: 'session.unit_chosen', unitId, detail: { sessionId: ctx.sessionId } });
    });
    return this.view({ ...ctx, unitId });
  }

  /** Self-service change; the policy applies, other sessions of the operator end. */
  async changePassword(ctx: SessionContext, body: ChangePasswordBody): Promise<void> {
    const { currentPassword, newPassword } = parseOr400(changePasswordBody, body);
    const op = await this.requireOperator(ctx.operatorId);
    await this.lockout.refuseIfLocked(op, 'password_change');
    if (!(await verifyPassword(op.passwordHash, currentPassword))) {
      await this.lockout.fail(op, 'password_change', 'wrong_password');
      throw new AppError('PASSWORD_WRONG', 400);
    }
    if (newPassword === currentPassword) throw new AppError('PASSWORD_REUSED', 400);
    assertPasswordPolicy(newPassword, op.username);
    const passwordHash = await hashPassword(newPassword);
    const now = this.now();
    await withWriteTx(this.knex, async (trx) => {
      await this.repos.operators.update(trx, op.id, { passwordHash, mustChangePassword: false, passwordChangedAt: now, failedCount: 0, lockedUntil: null }, now);
      const ended = await this.repos.sessions.revokeAllFor(trx, op.id, now, ctx.sessionId);
      await this.audit.append(trx, { actor: actorOf(ctx), action: 'password.changed', detail: { operatorId: op.id, otherSessionsEnded: ended } });
    });
  }

  /**
   * The gate of every business route and socket command: the caller must have changed an initial
   * password, chosen a unit, and hold `business` there (workstation admins hold `admin` everywhere).
   */
  async authorize(ctx: SessionContext, business: Business): Promise<{ unitId: number }> {
    this.requirePasswordChanged(ctx);
    if (ctx.unitId === null) throw new AppError('UNIT_NOT_CHOSEN', 403);
    const unit = await this.repos.units.get(ctx.unitId);
    const granted = unit !== undefined && !unit.disabled && ((business === 'admin' && ctx.isAdmin) || (await this.repos.grants.has(ctx.operatorId, ctx.unitId, business)));
    if (!granted) throw forbiddenBusiness(business, unit?.name ?? String(ctx.unitId));
    return { unitId: ctx.unitId };
  }

  /** Unit administration: workstation admins, or holders of the `admin` business of that unit. */
  async requireAdmin(ctx: SessionContext, unitId?: number): Promise<void> {
    this.requirePasswordChanged(ctx);
    if (ctx.isAdmin) return;
    if (unitId !== undefined && (await this.repos.grants.has(ctx.operatorId, unitId, 'admin'))) return;
    throw new LocalizedAppError('FORBIDDEN', 403, {
      'zh-CN': unitId === undefined ? '此操作需要工作站管理员权限' : '此操作需要该单位的「单位管理」业务授权',
      en: unitId === undefined ? 'This needs the workstation administrator right' : 'This needs the “unit administration” business of this unit',
    });
  }

  private requirePasswordChanged(ctx: SessionContext): void {
    if (ctx.mustChangePassword) throw new AppError('PASSWORD_CHANGE_REQUIRED', 403);
  }

  private async requireOperator(id: number): Promise<OperatorRow> {
    const op = await this.repos.operators.get(id);
    if (!op) throw new AppError('OPERATOR_NOT_FOUND', 404);
    return op;
  }
}

function toContext(op: OperatorRow, sessionId: number, unitId: number | null, expiresAt: number): SessionContext {
  return { sessionId, operatorId: op.id, username: op.username, displayName: op.displayName, isAdmin: op.isAdmin, unitId, mustChangePassword: op.mustChangePassword, expiresAt };
}

export function forbiddenBusiness(business: Business, unitName: string): LocalizedAppError {
  const label = BUSINESS_LABELS[business];
  return new LocalizedAppError('FORBIDDEN', 403, {
    'zh-CN': `您在「${unitName}」没有「${label['zh-CN']}」业务授权，请联系单位管理员`,
    en: `You are not granted the “${label.en}” business for ${unitName} — ask the unit's administrator`,
  });
}
