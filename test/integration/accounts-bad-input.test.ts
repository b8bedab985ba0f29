import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../server/services/app-error.js';
import type { SessionContext } from '../../server/services/auth.service.js';
import { adminSession, counts, openTestAccounts, USCC_A, USCC_B, type TestAccounts } from '../helpers/accounts.js';

const INJECTIONS = ["Robert'); DROP TABLE operators;--", '<script>alert(1)</script>', '" OR 1=1 --', '${7*7}{{7*7}}', '<img src=x onerror=alert(1)>'];

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const r = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(r instanceof AppError)) throw new Error(`expected an AppError, got ${String(r)}`);
  expect(r.status).toBeGreaterThanOrEqual(400);
  expect(r.status).toBeLessThan(500);
  expect(JSON.stringify(r.body('zh-CN'))).not.toMatch(/at .*\.ts:\d+/); // no stack trace for the client
  return r;
}

describe('bad input to the account services: clear errors, nothing written', () => {
  let a: TestAccounts;
  let admin: SessionContext;

  beforeAll(async () => {
    a = await openTestAccounts();
    admin = (await adminSession(a)).ctx;
  });
  afterAll(async () => {
    await a.destroy();
  });

  it('over-long or malformed user names and passwords', async () => {
    const before = await counts(a.db);
    const cases: Array<Promise<unknown>> = [
      a.auth.login({ username: 'u'.repeat(33), password: 'Some#Pass1' }),
      a.auth.login({ username: 'admin', password: 'P@ss1' + 'x'.repeat(200) }),
      a.auth.login({ username: "admin' --", password: 'Some#Pass1' }),
      a.auth.login({ username: '', password: '' }),
      a.auth.login({ username: 'admin', password: 'Some#Pass1', extra: 1 } as never),
      a.auth.login(null as never),
      a.operators.create(admin, { username: 'x'.repeat(1000), displayName: 'x', password: 'Init#Oper2026' }),
      a.operators.create(admin, { username: 'longpass', displayName: 'x', password: 'Aa1!' + 'y'.repeat(125) }),
      a.operators.create(admin, { username: 'weakpass', displayName: 'x', password: 'password' }),
      a.operators.create(admin, { username: 'ctrlname', displayName: 'a\u0000b', password: 'Init#Oper2026' }),
      a.operators.create(admin, { username: 'badphone', displayName: 'x', password: 'Init#Oper2026', phone: '<b>1</b>' }),
    ];
    const codes = [];
    for (const c of cases) codes.push((await refusal(c)).code);
    expect(codes).toEqual(['VALIDATION_FAILED', 'VALIDATION_FAILED', 'VALIDATION_FAILED', 'VALIDATION_FAILED', 'VALIDATION_FAILED', 'VALIDATION_FAILED', 'VALIDATION_FAILED', 'VALIDATION_FAILED', 'PASSWORD_POLICY', 'VALIDATION_FAILED', 'VALIDATION_FAILED']);
    expect(await counts(a.db)).toEqual(before);
  });

  it('a weak password names every missing class in both languages', async () => {
    const err = await refusal(a.operators.create(admin, { username: 'weak2', displayName: 'x', password: 'abc' }));
    expect(err.body('zh-CN').issues?.map((i) => i.message)).toEqual(['密码至少 8 位', '密码须包含大写字母', '密码须包含数字', '密码须包含符号（如 !@#$%）']);
    expect(err.body('en').message).toContain('at least 8 characters');
  });

  it('invalid USCC, duplicate USCC, unknown type: refused with the reason, nothing written', async () => {
    await a.units.create(admin, { name: '第一家', uscc: USCC_B, type: 'hospital' });
    const before = await counts(a.db);
    const bad = await refusal(a.units.create(admin, { name: 'x', uscc: '91440300MA5FXXXX0X', type: 'retail' }));
    expect(bad.code).toBe('USCC_INVALID');
    expect(bad.body('zh-CN').message).toMatch(/统一社会信用代码/);
    expect((await refusal(a.units.create(admin, { name: 'x', uscc: USCC_B, type: 'retail' }))).code).toBe('UNIT_USCC_TAKEN');
    expect((await refusal(a.units.create(admin, { name: 'x', uscc: USCC_A, type: 'pharmacy' as never }))).code).toBe('VALIDATION_FAILED');
    expect((await refusal(a.units.create(admin, { name: 'x'.repeat(201), uscc: USCC_A, type: 'retail' }))).code).toBe('VALIDATION_FAILED');
    expect(await counts(a.db)).toEqual(before);
  });

  it('SQL and HTML injection strings are stored inertly and read back verbatim', async () => {
    for (const [i, s] of INJECTIONS.entries()) {
      const op = await a.operators.create(admin, { username: `inject${i}`, displayName: s, password: 'Init#Oper2026' });
      expect(op.displayName).toBe(s);
    }
    const unit = await a.units.create(admin, { name: INJECTIONS[0]!, uscc: USCC_A, type: 'retail', address: INJECTIONS[1]! });
    expect((await a.units.get(admin, unit.id)).address).toBe(INJECTIONS[1]);
    expect((await a.operators.list(admin)).map((o) => o.displayName)).toEqual(expect.arrayContaining(INJECTIONS));
    expect(await a.db.knex.schema.hasTable('operators')).toBe(true);
    expect((await a.audit.verify()).ok).toBe(true);
  });

  it('forged and expired session tokens are refused without writing', async () => {
    const before = await counts(a.db);
    for (const t of ['', 'x'.repeat(43), "' OR '1'='1", 'a'.repeat(10_000), { token: 1 }, 42]) {
      expect(['AUTH_REQUIRED', 'SESSION_INVALID']).toContain((await refusal(a.auth.authenticate(t))).code);
    }
    const { token } = await a.auth.login({ username: 'admin', password: 'Dock&Work2026' });
    const mid = await counts(a.db);
    a.clock.t += 13 * 3_600_000;
    expect((await refusal(a.auth.authenticate(token))).code).toBe('SESSION_INVALID');
    expect(await counts(a.db)).toEqual(mid);
    expect(mid.sessions).toBe((before.sessions ?? 0) + 1);
  });

  it('empty or unknown credential fields are refused; secrets never come back', async () => {
    const unit = (await a.units.list(admin))[0]!;
    expect((await refusal(a.units.setCredentials(admin, unit.id, { nhsaSk: '' }))).code).toBe('VALIDATION_FAILED');
    expect((await refusal(a.units.setCredentials(admin, unit.id, { password: 'x' } as never))).code).toBe('VALIDATION_FAILED');
    const v = await a.units.setCredentials(admin, unit.id, { gansuAppKey: 'APPKEY-123456' });
    expect(v.credentials.gansuAppKey).toBe('set');
    expect(JSON.stringify(v)).not.toContain('APPKEY-123456');
    const cleared = await a.units.setCredentials(admin, unit.id, { gansuAppKey: null });
    expect(cleared.credentials.gansuAppKey).toBe('not set');
  });
});
