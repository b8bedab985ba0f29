import type { Knex } from 'knex';
import type { GrantsRepository } from '../../db/repositories/grants.repository.js';
import { withWriteTx, isUniqueViolation } from '../../db/repositories/tx.js';
import type { UnitRow, UnitSecretColumn, UnitsRepository } from '../../db/repositories/units.repository.js';
import {
  createUnitBody,
  UNIT_CREDENTIALS,
  unitCredentialsBody,
  updateUnitBody,
  type CreateUnitBody,
  type UnitCredential,
  type UnitCredentialsBody,
  type UnitView,
  type UpdateUnitBody,
} from '../contract/accounts.js';
import { validateUscc } from '../domain/codes/index.js';
import type { FieldCipher } from '../security/field-crypto.js';
import { parseOr400 } from '../validate.js';
import { AppError } from './app-error.js';
import { CREDENTIAL_COLUMNS, toUnitView } from './account-views.js';
import type { AuditService } from './audit.service.js';
import { actorOf, type AuthService, type SessionContext } from './auth.service.js';
import { LocalizedAppError } from './localized-error.js';

/** Clear platform credentials of one unit, for the platform clients only (never for a view). */
export interface UnitPlatformCredentials {
  nhsa: { ak: string | null; sk: string | null };
  gansu: { loginId: string | null; password: string | null; publicKey: string | null; appKey: string | null };
}

const USCC_REASONS: Record<string, { 'zh-CN': string; en: string }> = {
  uscc_wrong_length: { 'zh-CN': '统一社会信用代码应为 18 位', en: 'The unified social credit code has 18 characters' },
  uscc_bad_character: { 'zh-CN': '统一社会信用代码含有不允许的字符（不用 I、O、S、V、Z）', en: 'The unified social credit code contains a character it never uses (no I, O, S, V, Z)' },
  uscc_check_char: { 'zh-CN': '统一社会信用代码校验位不正确，请核对', en: 'The check character of the unified social credit code is wrong — check for a typo' },
  uscc_org_code_check: { 'zh-CN': '统一社会信用代码中的组织机构代码校验位不正确', en: 'The organisation-code check inside the unified social credit code is wrong' },
};

/** 单位: the companies or stores this workstation works for, with their write-only platform secrets. */
export class UnitsService {
  constructor(
    private readonly knex: Knex,
    private readonly units: UnitsRepository,
    private readonly grants: GrantsRepository,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditService,
    private readonly auth: AuthService,
    private readonly now: () => number = Date.now,
  ) {}

  /** Workstation admins see every unit; an operator sees the units bound to them. */
  async list(ctx: SessionContext): Promise<UnitView[]> {
    if (ctx.isAdmin && !ctx.mustChangePassword) return (await this.units.list()).map(toUnitView);
    const bound = await this.grants.bindings({ operatorIds: [ctx.operatorId] });
    return (await this.units.getMany(bound.map((b) => b.unitId))).map(toUnitView);
  }

  async get(ctx: SessionContext, id: number): Promise<UnitView> {
    const unit = await this.units.get(id);
    if (!unit || (!ctx.isAdmin && !(await this.grants.isBound(ctx.operatorId, id)))) throw new AppError('UNIT_NOT_FOUND', 404);
    return toUnitView(unit);
  }

  async create(ctx: SessionContext, body: CreateUnitBody): Promise<UnitView> {
    await this.auth.requireAdmin(ctx);
    const b = parseOr400(createUnitBody, body);
    const uscc = checkUscc(b.uscc);
    const secrets = this.encryptCredentials(b.credentials ?? {});
    try {
      return await withWriteTx(this.knex, async (trx) => {
        const unit = await this.units.insert(trx, { name: b.name, uscc, type: b.type, address: b.address ?? null, secrets: secrets.columns }, this.now());
        await this.audit.append(trx, { actor: actorOf(ctx), action: 'unit.created', unitId: unit.id, detail: { name: unit.name, uscc, type: unit.type, credentialsSet: secrets.changed } });
        return toUnitView(unit);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('UNIT_USCC_TAKEN', 409);
      throw err;
    }
  }

  async update(ctx: SessionContext, id: number, body: UpdateUnitBody): Promise<UnitView> {
    await this.auth.requireAdmin(ctx, id);
    const b = parseOr400(updateUnitBody, body);
    // Only a workstation admin may switch a unit off (a unit admin could lock everyone out).
    if (b.disabled !== undefined) await this.auth.requireAdmin(ctx);
    return withWriteTx(this.knex, async (trx) => {
      const unit = await this.units.update(trx, id, b, this.now());
      if (!unit) throw new AppError('UNIT_NOT_FOUND', 404);
      await this.audit.append(trx, { actor: actorOf(ctx), action: 'unit.updated', unitId: id, detail: { fields: Object.keys(b).sort() } });
      return toUnitView(unit);
    });
  }

  /** Absent = unchanged, null = cleared, text = replaced. The audit says which, never the value. */
  async setCredentials(ctx: SessionContext, id: number, body: UnitCredentialsBody): Promise<UnitView> {
    await this.auth.requireAdmin(ctx, id);
    const secrets = this.encryptCredentials(parseOr400(unitCredentialsBody, body));
    return withWriteTx(this.knex, async (trx) => {
      const unit = await this.units.update(trx, id, { secrets: secrets.columns }, this.now());
      if (!unit) throw new AppError('UNIT_NOT_FOUND', 404);
      await this.audit.append(trx, { actor: actorOf(ctx), action: 'unit.credentials_changed', unitId: id, detail: { set: secrets.changed, cleared: secrets.cleared } });
      return toUnitView(unit);
    });
  }

  /** For the platform clients (outbox workers), not for any route. */
  async platformCredentials(unitId: number): Promise<UnitPlatformCredentials> {
    const u = await this.units.get(unitId);
    if (!u) throw new AppError('UNIT_NOT_FOUND', 404);
    const get = (k: UnitCredential) => this.decryptColumn(u, CREDENTIAL_COLUMNS[k]);
    return {
      nhsa: { ak: get('nhsaAk'), sk: get('nhsaSk') },
      gansu: { loginId: get('gansuLoginId'), password: get('gansuPassword'), publicKey: get('gansuPublicKey'), appKey: get('gansuAppKey') },
    };
  }

  private decryptColumn(u: UnitRow, column: UnitSecretColumn): string | null {
    return this.cipher.decryptOptional(u.secrets[column], `units.${column}`);
  }

  private encryptCredentials(body: Partial<Record<UnitCredential, string | null | undefined>>) {
    const columns: Partial<Record<UnitSecretColumn, string | null>> = {};
    const changed: string[] = [];
    const cleared: string[] = [];
    for (const k of UNIT_CREDENTIALS) {
      const v = body[k];
      if (v === undefined) continue;
      const column = CREDENTIAL_COLUMNS[k];
      columns[column] = v === null ? null : this.cipher.encrypt(v, `units.${column}`);
      (v === null ? cleared : changed).push(k);
    }
    return { columns, changed, cleared };
  }
}

function checkUscc(input: string): string {
  const r = validateUscc(input);
  if (r.valid) return r.normalized;
  const reason = USCC_REASONS[r.reason ?? ''] ?? { 'zh-CN': '统一社会信用代码不正确', en: 'The unified social credit code is invalid' };
  throw new LocalizedAppError('USCC_INVALID', 400, reason, [{ path: 'uscc', messages: reason }]);
}
