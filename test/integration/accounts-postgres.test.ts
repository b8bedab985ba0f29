import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../server/services/app-error.js';
import { adminSession, openTestAccounts, USCC_A } from '../helpers/accounts.js';
import { startTempPostgres, type TempPostgres } from '../helpers/postgres.js';
import { tempDir } from '../helpers/workstation.js';

// Several docks may share one PostgreSQL database: the account schema and its rules must hold there.
describe('accounts on PostgreSQL', () => {
  let pg: TempPostgres;
  beforeAll(async () => {
    pg = await startTempPostgres();
  }, 60_000);
  afterAll(async () => {
    await pg?.stop();
  });

  it('migrates; the unique upload-grant index, append-only audit log and chain hold', async () => {
    const dataDir = tempDir();
    const a = await openTestAccounts({ dataDir, url: pg.url });
    const b = await openTestAccounts({ dataDir, url: pg.url });
    try {
      expect(a.db.dialect).toBe('postgres');
      const { ctx: admin } = await adminSession(a);
      const adminB = await b.auth.authenticate((await b.auth.login({ username: 'admin', password: 'Dock&Work2026' })).token);
      const unit = await a.units.create(admin, { name: '共享库单位', uscc: USCC_A, type: 'distributor', credentials: { nhsaSk: 'pg-secret' } });
      const ops: number[] = [];
      for (const u of ['pgone', 'pgtwo']) {
        const op = await a.operators.create(admin, { username: u, displayName: u, password: 'Init#Oper2026', phone: '13912345678' });
        await a.operators.bind(admin, { operatorId: op.id, unitId: unit.id });
        ops.push(op.id);
      }
      const results = await Promise.all([
        a.operators.grant(admin, { operatorId: ops[0]!, unitId: unit.id, business: 'upload' }).then(() => 'ok', (e: AppError) => e.code),
        b.operators.grant(adminB, { operatorId: ops[1]!, unitId: unit.id, business: 'upload' }).then(() => 'ok', (e: AppError) => e.code),
      ]);
      expect(results.sort()).toEqual(['UPLOAD_GRANT_HELD', 'ok']);

      // The index itself, bypassing the services.
      await a.db.knex('grants').where({ unit_id: unit.id, business: 'upload' }).del();
      const row = (operatorId: number) => ({ operator_id: operatorId, unit_id: unit.id, business: 'upload', granted_at: 1 });
      await a.db.knex('grants').insert(row(ops[0]!));
      await expect(a.db.knex('grants').insert(row(ops[1]!))).rejects.toThrow(/grants_one_uploader_uq/);
      await expect(a.db.knex('grants').insert({ ...row(ops[1]!), business: 'root' })).rejects.toThrow(/grants_business_ck/);

      await expect(a.db.knex('audit_log').update({ actor: 'x' })).rejects.toThrow(/append-only/);
      expect(await a.units.platformCredentials(unit.id)).toMatchObject({ nhsa: { sk: 'pg-secret' } });
      expect(await b.audit.verify()).toMatchObject({ ok: true, headChecked: true });
    } finally {
      await a.close();
      await b.close();
    }
  });
});
