import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../server/services/app-error.js';
import { adminSession, ADMIN_PASSWORD, openTestAccounts, operatorSession, USCC_A, type TestAccounts } from '../helpers/accounts.js';

const code = (p: Promise<unknown>) => p.then(
  () => 'resolved',
  (e: unknown) => (e instanceof AppError ? e.code : String(e)),
);

describe('bootstrap, login, sessions', () => {
  let a: TestAccounts;
  beforeEach(async () => {
    a = await openTestAccounts();
  });
  afterEach(async () => {
    await a.destroy();
  });

  it('creates admin once with a generated password that must be changed', async () => {
    const r = await a.auth.bootstrap();
    expect(r).toMatchObject({ created: true, username: 'admin' });
    const pw = r.created ? r.generatedPassword! : '';
    expect(pw).toHaveLength(20);
    expect(await a.auth.bootstrap()).toEqual({ created: false });
    const op = await a.repos.operators.findByUsername('admin');
    expect(op?.passwordHash.startsWith('$argon2id$')).toBe(true);
    expect(op?.mustChangePassword).toBe(true);
    const { token, session } = await a.auth.login({ username: 'admin', password: pw });
    expect(session.mustChangePassword).toBe(true);
    const ctx = await a.auth.authenticate(token);
    // Until the password is changed, nothing but the change is allowed.
    expect(await code(a.units.create(ctx, { name: 'x', uscc: USCC_A, type: 'distributor' }))).toBe('PASSWORD_CHANGE_REQUIRED');
    expect(await code(a.auth.changePassword(ctx, { currentPassword: pw, newPassword: 'weak' }))).toBe('PASSWORD_POLICY');
    await a.auth.changePassword(ctx, { currentPassword: pw, newPassword: 'Brand#New2026' });
    expect((await a.repos.operators.findByUsername('admin'))?.mustChangePassword).toBe(false);
  });

  it('bootstrap refuses a TRACEDOCK_ADMIN_PASSWORD that breaks the policy, writing nothing', async () => {
    expect(await code(a.auth.bootstrap('admin123'))).toBe('PASSWORD_POLICY');
    expect(await a.repos.operators.count()).toBe(0);
  });

  it('locks after 5 failures (each audited), refuses even the right password while locked, backs off', async () => {
    await a.auth.bootstrap(ADMIN_PASSWORD);
    const before = await a.repos.audit.count();
    for (let i = 1; i <= 4; i++) expect(await code(a.auth.login({ username: 'admin', password: `Wrong#Pass${i}` }))).toBe('LOGIN_FAILED');
    expect(await code(a.auth.login({ username: 'admin', password: 'Wrong#Pass5' }))).toBe('ACCOUNT_LOCKED');
    expect(await code(a.auth.login({ username: 'admin', password: ADMIN_PASSWORD }))).toBe('ACCOUNT_LOCKED');
    const entries = await a.audit.list({ limit: 10 });
    expect(entries.filter((e) => e.action === 'login.failed')).toHaveLength(5);
    expect(entries.filter((e) => e.action === 'login.refused_locked')).toHaveLength(1);
    expect(await a.repos.audit.count()).toBe(before + 6);
    expect(JSON.stringify(entries)).not.toContain('Wrong#Pass');

    a.clock.t += 61_000; // the first lock is one minute
    expect(await code(a.auth.login({ username: 'admin', password: 'Wrong#Pass6' }))).toBe('ACCOUNT_LOCKED');
    expect((await a.repos.operators.findByUsername('admin'))?.lockedUntil).toBe(a.clock.t + 120_000); // doubled
    a.clock.t += 121_000;
    await a.auth.login({ username: 'admin', password: ADMIN_PASSWORD });
    expect((await a.repos.operators.findByUsername('admin'))?.failedCount).toBe(0);
  });

  it('unknown users fail the same way and are audited', async () => {
    await a.auth.bootstrap(ADMIN_PASSWORD);
    expect(await code(a.auth.login({ username: 'nobody', password: 'Some#Pass1' }))).toBe('LOGIN_FAILED');
    const [last] = await a.audit.list({ limit: 1 });
    expect(last).toMatchObject({ action: 'login.failed', actor: 'nobody', detail: { reason: 'unknown_user' } });
  });

  it('sessions: forged, idle-expired, absolute-expired and logged-out tokens are refused', async () => {
    const { token } = await adminSession(a);
    expect(await code(a.auth.authenticate(undefined))).toBe('AUTH_REQUIRED');
    expect(await code(a.auth.authenticate('forged'))).toBe('SESSION_INVALID');
    expect(await code(a.auth.authenticate(`${token.slice(0, 42)}${token.endsWith('A') ? 'B' : 'A'}`))).toBe('SESSION_INVALID');
    // Activity keeps it alive across the idle limit…
    for (let i = 0; i < 5; i++) {
      a.clock.t += 20 * 60_000;
      await a.auth.authenticate(token);
    }
    // …an idle half hour does not.
    a.clock.t += 31 * 60_000;
    expect(await code(a.auth.authenticate(token))).toBe('SESSION_INVALID');

    const fresh = await a.auth.login({ username: 'admin', password: 'Dock&Work2026' });
    for (let i = 0; i < 36; i++) {
      a.clock.t += 20 * 60_000;
      if (i < 35) await a.auth.authenticate(fresh.token);
    }
    expect(await code(a.auth.authenticate(fresh.token))).toBe('SESSION_INVALID'); // 12 h absolute

    const third = await a.auth.login({ username: 'admin', password: 'Dock&Work2026' });
    await a.auth.logout(third.token);
    expect(await code(a.auth.authenticate(third.token))).toBe('SESSION_INVALID');
    await a.auth.logout(third.token); // idempotent
    expect((await a.audit.list({ limit: 50 })).filter((e) => e.action === 'logout')).toHaveLength(1);
    const stored = await a.db.knex('sessions').select('token_hash');
    expect(JSON.stringify(stored)).not.toContain(third.token);
  });

  it('changing the password ends the other sessions', async () => {
    const { ctx } = await adminSession(a);
    const other = await a.auth.login({ username: 'admin', password: 'Dock&Work2026' });
    await a.auth.changePassword(ctx, { currentPassword: 'Dock&Work2026', newPassword: 'Third#Pass2026' });
    expect(await code(a.auth.authenticate(other.token))).toBe('SESSION_INVALID');
    expect(await code(a.auth.changePassword(ctx, { currentPassword: 'Third#Pass2026', newPassword: 'Third#Pass2026' }))).toBe('PASSWORD_REUSED');
    expect(await code(a.auth.changePassword(ctx, { currentPassword: 'Nope#Pass2026', newPassword: 'Fourth#Pass2026' }))).toBe('PASSWORD_WRONG');
  });

  it('unit choice is limited to bound units; authorize gives a clear 403 naming business and unit', async () => {
    const { ctx: admin } = await adminSession(a);
    const unit = await a.units.create(admin, { name: '兰州医药有限公司', uscc: USCC_A, type: 'distributor' });
    const other = await a.units.create(admin, { name: '另一家', uscc: '91110000600037341L', type: 'retail' });
    const op = await operatorSession(a, admin, 'wangwu', unit.id);
    expect(await code(a.auth.authorize(op.ctx, 'receiving'))).toBe('UNIT_NOT_CHOSEN');
    expect(await code(a.auth.chooseUnit(op.ctx, { unitId: other.id }))).toBe('UNIT_NOT_BOUND');
    const view = await a.auth.chooseUnit(op.ctx, { unitId: unit.id });
    expect(view.unit?.id).toBe(unit.id);
    const ctx = await a.auth.authenticate(op.token);
    const denied = await a.auth.authorize(ctx, 'receiving').catch((e: AppError) => e);
    expect(denied).toBeInstanceOf(AppError);
    expect((denied as AppError).status).toBe(403);
    expect((denied as AppError).body('zh-CN').message).toBe('您在「兰州医药有限公司」没有「收货入库」业务授权，请联系单位管理员');
    expect((denied as AppError).body('en').message).toContain('“receiving” business for 兰州医药有限公司');
    await a.operators.grant(admin, { operatorId: op.id, unitId: unit.id, business: 'receiving' });
    expect(await a.auth.authorize(ctx, 'receiving')).toEqual({ unitId: unit.id });
    expect((await a.auth.view(ctx)).businesses).toEqual(['receiving']);
    // Not an admin: cannot manage operators.
    expect(await code(a.operators.list(ctx))).toBe('FORBIDDEN');
  });
});

describe('station lock: badge scan or PIN', () => {
  let a: TestAccounts;
  beforeEach(async () => {
    a = await openTestAccounts();
  });
  afterEach(async () => {
    await a.destroy();
  });

  it('unlocks by badge or PIN; wrong PINs count toward the lockout; badges are stored only as keyed hashes', async () => {
    const { ctx: admin } = await adminSession(a);
    const op = await a.operators.create(admin, { username: 'dockhand', displayName: '赵六', password: 'Init#Oper2026' });
    await a.operators.setStationCredentials(admin, op.id, { badge: 'BADGE-000042', pin: '482913' });
    expect((await a.operators.get(admin, op.id))).toMatchObject({ badge: 'set', pin: 'set' });
    const other = await a.operators.create(admin, { username: 'second', displayName: '钱七', password: 'Init#Oper2026' });
    expect(await code(a.operators.setStationCredentials(admin, other.id, { badge: 'BADGE-000042' }))).toBe('BADGE_TAKEN');
    expect(JSON.stringify(await a.db.knex('operators').select('*'))).not.toContain('BADGE-000042');

    expect(await a.stationLock.unlock({ badge: 'BADGE-000042' }, 3)).toMatchObject({ operatorId: op.id, displayName: '赵六' });
    expect(await a.stationLock.unlock({ operatorId: op.id, pin: '482913' })).toMatchObject({ operatorId: op.id });
    expect(await code(a.stationLock.unlock({ badge: 'BADGE-999999' }))).toBe('UNLOCK_FAILED');
    expect(await code(a.stationLock.unlock({ operatorId: op.id, pin: '12' }))).toBe('VALIDATION_FAILED');
    for (let i = 0; i < 4; i++) expect(await code(a.stationLock.unlock({ operatorId: op.id, pin: `00000${i}` }))).toBe('UNLOCK_FAILED');
    expect(await code(a.stationLock.unlock({ operatorId: op.id, pin: '000009' }))).toBe('ACCOUNT_LOCKED');
    expect(await code(a.stationLock.unlock({ operatorId: op.id, pin: '482913' }))).toBe('ACCOUNT_LOCKED');
    const actions = (await a.audit.list({ limit: 20 })).map((e) => e.action);
    expect(actions.filter((x) => x === 'station.unlock_failed')).toHaveLength(6);
    expect(actions.filter((x) => x === 'station.unlocked')).toHaveLength(2);
  });
});
