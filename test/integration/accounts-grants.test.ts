import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../server/services/app-error.js';
import type { SessionContext } from '../../server/services/auth.service.js';
import { adminSession, openTestAccounts, USCC_A, type TestAccounts } from '../helpers/accounts.js';

const outcome = (p: Promise<unknown>) => p.then(
  () => 'ok',
  (e: unknown) => (e instanceof AppError ? e.code : `unexpected: ${String(e)}`),
);

describe('grants: one operator per platform-upload business (NHSA guide, 经办人授权)', () => {
  let a: TestAccounts;
  let admin: SessionContext;
  let unitId: number;
  let ops: number[];

  beforeEach(async () => {
    a = await openTestAccounts();
    admin = (await adminSession(a)).ctx;
    unitId = (await a.units.create(admin, { name: '甘肃药业', uscc: USCC_A, type: 'distributor' })).id;
    ops = [];
    for (const u of ['zhangsan', 'lisi', 'zhaoliu']) {
      const op = await a.operators.create(admin, { username: u, displayName: u, password: 'Init#Oper2026' });
      await a.operators.bind(admin, { operatorId: op.id, unitId });
      ops.push(op.id);
    }
  });
  afterEach(async () => {
    await a?.destroy();
  });

  it('refuses a second holder with a clear message; revoke first, then grant', async () => {
    await a.operators.grant(admin, { operatorId: ops[0]!, unitId, business: 'upload' });
    // Granting the same operator again is harmless.
    await a.operators.grant(admin, { operatorId: ops[0]!, unitId, business: 'upload' });
    const err = await a.operators.grant(admin, { operatorId: ops[1]!, unitId, business: 'upload' }).catch((e: AppError) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('UPLOAD_GRANT_HELD');
    expect((err as AppError).status).toBe(409);
    expect((err as AppError).body('zh-CN').message).toContain('已授权给经办人「zhangsan」');
    expect((err as AppError).body('zh-CN').message).toContain('请先取消其授权');
    expect((err as AppError).body('en').message).toContain('revoke it first');
    // Other businesses may be held by several operators.
    await a.operators.grant(admin, { operatorId: ops[1]!, unitId, business: 'receiving' });
    await a.operators.grant(admin, { operatorId: ops[2]!, unitId, business: 'receiving' });

    await a.operators.revoke(admin, { operatorId: ops[0]!, unitId, business: 'upload' });
    await a.operators.grant(admin, { operatorId: ops[1]!, unitId, business: 'upload' });
    expect((await a.operators.grants(admin, unitId)).filter((g) => g.business === 'upload').map((g) => g.operatorId)).toEqual([ops[1]]);
    const actions = (await a.audit.list({ limit: 20 })).map((e) => e.action);
    expect(actions.filter((x) => x === 'grant.added')).toHaveLength(4);
    expect(actions.filter((x) => x === 'grant.revoked')).toHaveLength(1);
  });

  it('grants need a binding; unbinding revokes the grants of that unit', async () => {
    const loner = await a.operators.create(admin, { username: 'loner', displayName: 'loner', password: 'Init#Oper2026' });
    expect(await outcome(a.operators.grant(admin, { operatorId: loner.id, unitId, business: 'query' }))).toBe('GRANT_NOT_BOUND');
    await a.operators.grant(admin, { operatorId: ops[0]!, unitId, business: 'upload' });
    await a.operators.unbind(admin, { operatorId: ops[0]!, unitId });
    expect(await a.repos.grants.list({ unitId })).toEqual([]);
    await a.operators.grant(admin, { operatorId: ops[1]!, unitId, business: 'upload' });
  });

  it('two concurrent grant requests in one process: exactly one wins', async () => {
    const results = await Promise.all(ops.map((operatorId) => outcome(a.operators.grant(admin, { operatorId, unitId, business: 'upload' }))));
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r === 'UPLOAD_GRANT_HELD')).toHaveLength(2);
    expect(await a.repos.grants.list({ unitId, business: 'upload' })).toHaveLength(1);
  });

  it('two concurrent grant requests over two database connections: exactly one wins', async () => {
    const b = await openTestAccounts({ dataDir: a.dataDir });
    try {
      const adminB = await b.auth.authenticate((await b.auth.login({ username: 'admin', password: 'Dock&Work2026' })).token);
      for (let round = 0; round < 5; round++) {
        const results = await Promise.all([
          outcome(a.operators.grant(admin, { operatorId: ops[0]!, unitId, business: 'upload' })),
          outcome(b.operators.grant(adminB, { operatorId: ops[1]!, unitId, business: 'upload' })),
        ]);
        expect(results.sort()).toEqual(['UPLOAD_GRANT_HELD', 'ok']);
        const holders = await a.repos.grants.list({ unitId, business: 'upload' });
        expect(holders).toHaveLength(1);
        await a.operators.revoke(admin, { operatorId: holders[0]!.operatorId, unitId, business: 'upload' });
      }
      expect((await a.audit.verify()).ok).toBe(true);
    } finally {
      await b.close();
    }
  });

  it('the database itself refuses a second upload holder (no service involved)', async () => {
    const row = (operatorId: number) => ({ operator_id: operatorId, unit_id: unitId, business: 'upload', granted_at: 1 });
    await a.db.knex('grants').insert(row(ops[0]!));
    await expect(a.db.knex('grants').insert(row(ops[1]!))).rejects.toThrow(/UNIQUE constraint failed/);
    await expect(a.db.knex('grants').insert({ ...row(ops[1]!), business: 'superuser' })).rejects.toThrow();
  });
});
