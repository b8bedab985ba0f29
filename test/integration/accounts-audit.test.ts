import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import sqlite3 from 'sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteFilePath } from '../../db/connection.js';
import { adminSession, openTestAccounts, USCC_A } from '../helpers/accounts.js';
import { tempDir } from '../helpers/workstation.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

/** `npm run audit:verify` as the operator would run it, against a data directory. */
async function auditVerify(dataDir: string): Promise<{ code: number; out: string }> {
  try {
    const r = await run(path.join(root, 'node_modules/.bin/tsx'), ['scripts/audit-verify.ts'], { cwd: root, env: { ...process.env, TRACEDOCK_DATA_DIR: dataDir, TRACEDOCK_DB_URL: '' } });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

/** Tampering as an attacker with file access would: a raw connection, trigger dropped, row edited. */
async function tamper(dataDir: string, sql: string): Promise<void> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const d = new sqlite3.Database(sqliteFilePath({ dataDir }), (err) => (err ? reject(err) : resolve(d)));
  });
  const exec = (s: string) => new Promise<void>((resolve, reject) => db.exec(s, (err) => (err ? reject(err) : resolve())));
  await exec(`DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete; ${sql}`);
  await new Promise<void>((resolve) => db.close(() => resolve()));
}

function copyDir(from: string): string {
  const to = tempDir('tracedock-audit-copy-');
  fs.cpSync(from, to, { recursive: true });
  return to;
}

describe('audit log: append-only, hash-chained, verified by npm run audit:verify', () => {
  const dataDir = tempDir('tracedock-audit-');
  const copies: string[] = [];
  let count = 0;

  beforeAll(async () => {
    const a = await openTestAccounts({ dataDir });
    const { ctx } = await adminSession(a);
    const unit = await a.units.create(ctx, { name: '审计测试单位', uscc: USCC_A, type: 'distributor' });
    const op = await a.operators.create(ctx, { username: 'auditee', displayName: '李四', password: 'Init#Oper2026' });
    await a.operators.bind(ctx, { operatorId: op.id, unitId: unit.id });
    await a.operators.grant(ctx, { operatorId: op.id, unitId: unit.id, business: 'upload' });
    await a.auth.login({ username: 'auditee', password: 'Wrong#Guess1' }).catch(() => undefined);
    await expect(a.db.knex('audit_log').update({ actor: 'x' })).rejects.toThrow(/append-only/);
    await expect(a.db.knex('audit_log').del()).rejects.toThrow(/append-only/);
    const report = await a.audit.verify();
    expect(report).toMatchObject({ ok: true, headChecked: true });
    count = report.count;
    expect(count).toBeGreaterThanOrEqual(9);
    await a.close();
  }, 60_000);
  afterAll(() => {
    for (const d of [dataDir, ...copies]) fs.rmSync(d, { recursive: true, force: true });
  });

  it('reports OK with the entry count on an intact log', async () => {
    const r = await auditVerify(dataDir);
    expect(r).toMatchObject({ code: 0 });
    expect(r.out).toContain(`OK: audit log intact, ${count} entries (sealed head checked)`);
  });

  it.each([
    ['an edited detail', (n: number) => `UPDATE audit_log SET detail = '{"business":"admin"}' WHERE seq = ${n}`, 'hash_mismatch', 0],
    ['an edited actor', (n: number) => `UPDATE audit_log SET actor = 'mallory' WHERE seq = ${n}`, 'hash_mismatch', 0],
    ['an edited time', (n: number) => `UPDATE audit_log SET at = at + 1 WHERE seq = ${n}`, 'hash_mismatch', 0],
    ['a deleted row', (n: number) => `DELETE FROM audit_log WHERE seq = ${n}`, 'seq_gap', 1],
    ['a replaced hash', (n: number) => `UPDATE audit_log SET hash = '${'f'.repeat(64)}' WHERE seq = ${n}`, 'hash_mismatch', 0],
  ])('detects %s and names the first broken link', async (_label, sql, reason, offset) => {
    const dir = copyDir(dataDir);
    copies.push(dir);
    const victim = 4;
    await tamper(dir, sql(victim));
    const r = await auditVerify(dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`BROKEN at entry ${victim + offset}: ${reason}`);
  });

  it('detects entries cut off the end (sealed head, needs the key file)', async () => {
    const dir = copyDir(dataDir);
    copies.push(dir);
    await tamper(dir, `DELETE FROM audit_log WHERE seq = ${count}`);
    const r = await auditVerify(dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`BROKEN at entry ${count}: head_mismatch`);
    expect(r.out).toContain('removed from its end');
  });
});
