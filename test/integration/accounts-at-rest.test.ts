import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../db/connection.js';
import { sqliteFilePath } from '../../db/connection.js';
import { createAccounts } from '../../server/services/accounts.js';
import { KEY_FILE_NAME } from '../../server/security/key-file.js';
import { adminSession, openTestAccounts, USCC_A, type TestAccounts } from '../helpers/accounts.js';
import { tempDir } from '../helpers/workstation.js';

const ID_NUMBER = '62010219900307123X';
const PHONE = '13893121234';
const NHSA_SK = 'sk-9f3c2a7e61d04b8f-TRACEDOCK';
const GANSU_PASSWORD = 'GansuPlatform#Pw77';

/** Reads the raw bytes of the database file and its WAL: what a thief with a copy would see. */
function rawFiles(dataDir: string): Buffer {
  const main = sqliteFilePath({ dataDir });
  return Buffer.concat([main, `${main}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
}

describe('personal data and platform secrets at rest', () => {
  let a: TestAccounts | undefined;
  afterEach(async () => {
    await a?.destroy();
    a = undefined;
  });

  it('a grep of the SQLite file and its WAL finds no ID number, phone or secret; the key file decrypts them', async () => {
    a = await openTestAccounts();
    const { ctx } = await adminSession(a);
    const unit = await a.units.create(ctx, { name: '兰州某药房', uscc: USCC_A, type: 'retail', credentials: { nhsaAk: 'ak-public-id', nhsaSk: NHSA_SK, gansuPassword: GANSU_PASSWORD } });
    expect(unit.credentials).toMatchObject({ nhsaAk: 'set', nhsaSk: 'set', gansuPassword: 'set', gansuAppKey: 'not set' });
    expect(JSON.stringify(unit)).not.toContain(NHSA_SK);
    const op = await a.operators.create(ctx, { username: 'pharmacist', displayName: '张三', password: 'Init#Oper2026', phone: PHONE, idNumber: ID_NUMBER });
    expect(op).toMatchObject({ phone: '138****1234', idNumber: '620102********123X' });

    const walBytes = fs.readFileSync(`${sqliteFilePath({ dataDir: a.dataDir })}-wal`);
    expect(walBytes.length).toBeGreaterThan(0); // the values really passed through the WAL
    for (const bytes of [rawFiles(a.dataDir)]) {
      for (const secret of [ID_NUMBER, PHONE, NHSA_SK, GANSU_PASSWORD]) {
        expect(bytes.includes(Buffer.from(secret, 'utf8'))).toBe(false);
        expect(bytes.includes(Buffer.from(secret, 'utf16le'))).toBe(false);
      }
    }
    const dataDir = a.dataDir;
    await a.close();
    // Checkpointed into the main file: still nothing.
    for (const secret of [ID_NUMBER, PHONE, NHSA_SK, GANSU_PASSWORD]) expect(rawFiles(dataDir).includes(Buffer.from(secret))).toBe(false);
    expect(fs.readFileSync(path.join(dataDir, KEY_FILE_NAME))).toHaveLength(32);
    if (process.platform !== 'win32') expect(fs.statSync(path.join(dataDir, KEY_FILE_NAME)).mode & 0o777).toBe(0o600);

    a = await openTestAccounts({ dataDir });
    expect(await a.units.platformCredentials(unit.id)).toMatchObject({ nhsa: { ak: 'ak-public-id', sk: NHSA_SK }, gansu: { password: GANSU_PASSWORD, appKey: null } });
    const admin = await a.auth.authenticate((await a.auth.login({ username: 'admin', password: 'Dock&Work2026' })).token);
    expect(await a.operators.revealPersonalData(admin, op.id, '公安协查')).toEqual({ phone: PHONE, idNumber: ID_NUMBER });
    const [last] = await a.audit.list({ limit: 1 });
    expect(last).toMatchObject({ action: 'personal_data.unmasked', detail: { operatorId: op.id, reason: '公安协查' } });
    expect(JSON.stringify(await a.audit.list({ limit: 100 }))).not.toContain(NHSA_SK);
  });

  it('without the key file (or with another one) opening refuses with a clear message and creates nothing', async () => {
    const dataDir = tempDir('tracedock-keyloss-');
    try {
      a = await openTestAccounts({ dataDir });
      await adminSession(a);
      await a.close();
      a = undefined;
      const keyFile = path.join(dataDir, KEY_FILE_NAME);
      const original = fs.readFileSync(keyFile);

      fs.rmSync(keyFile);
      await expect(openTestAccounts({ dataDir })).rejects.toThrow(/refusing to start: the key file .* is missing.*would make encrypted data unreadable/s);
      expect(fs.existsSync(keyFile)).toBe(false);

      fs.writeFileSync(keyFile, Buffer.alloc(32, 7), { mode: 0o600 });
      await expect(openTestAccounts({ dataDir })).rejects.toThrow(/refusing to start: .* is not the key this database was encrypted with/);
      fs.writeFileSync(keyFile, Buffer.alloc(5));
      await expect(openTestAccounts({ dataDir })).rejects.toThrow(/damaged/);

      fs.writeFileSync(keyFile, original, { mode: 0o644 });
      fs.chmodSync(keyFile, 0o644);
      const db = await openDb({ dataDir });
      try {
        const acc = await createAccounts(db, dataDir);
        expect(acc.key.permissionsTightened).toBe(process.platform !== 'win32');
        expect(String(acc.key.key)).not.toContain(original.toString('hex'));
      } finally {
        await db.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
