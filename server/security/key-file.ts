import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import type { Knex } from 'knex';

/**
 * The workstation's master key: 32 random bytes in `<dataDir>/secret.key`, never in the database
 * (DESIGN §5: the database file alone reveals no personal data or platform secret), never logged.
 * Purpose keys are derived with HKDF so one leaked sub-key does not expose the others.
 */
export const KEY_FILE_NAME = 'secret.key';
const KEY_BYTES = 32;
const FINGERPRINT_META_KEY = 'key_fingerprint';
const FINGERPRINT_LABEL = 'tracedock key fingerprint v1';

export type KeyPurpose = 'field-encryption' | 'blind-index' | 'audit-seal' | 'blob-encryption';

export class KeyFileError extends Error {
  override readonly name = 'KeyFileError';
}

/** Holds the key bytes privately; prints as `[secret key <fingerprint>]` in logs and inspect. */
export class MasterKey {
  readonly #bytes: Buffer;
  readonly fingerprint: string;

  constructor(bytes: Buffer) {
    if (bytes.length !== KEY_BYTES) throw new KeyFileError(`the key must be ${KEY_BYTES} bytes, got ${bytes.length}`);
    this.#bytes = Buffer.from(bytes);
    this.fingerprint = crypto.createHmac('sha256', this.#bytes).update(FINGERPRINT_LABEL).digest('hex');
  }

  derive(purpose: KeyPurpose): Buffer {
    return Buffer.from(crypto.hkdfSync('sha256', this.#bytes, Buffer.alloc(0), `tracedock ${purpose} v1`, KEY_BYTES));
  }

  toString(): string {
    return `[secret key ${this.fingerprint.slice(0, 12)}]`;
  }
  toJSON(): string {
    return this.toString();
  }
  [inspect.custom](): string {
    return this.toString();
  }
}

export interface LoadedKey {
  key: MasterKey;
  /** True when this start created the key file (the wiring logs the path, never the key). */
  created: boolean;
  /** True when the file was readable by group/others and has been restricted to 0600. */
  permissionsTightened: boolean;
  file: string;
}

async function storedFingerprint(knex: Knex): Promise<string | undefined> {
  const row = (await knex('meta').where({ key: FINGERPRINT_META_KEY }).first('value')) as { value: string } | undefined;
  return row?.value;
}

function refuse(file: string, why: string): never {
  throw new KeyFileError(
    `refusing to start: ${why}. The database holds data encrypted under the key file ${file}; ` +
      `creating a new key would make encrypted data unreadable. Restore the original ${KEY_FILE_NAME} from your backup into the data directory.`,
  );
}

function readKeyFile(file: string): { bytes: Buffer; tightened: boolean } | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new KeyFileError(`cannot read the key file ${file}: ${(err as Error).message}`);
  }
  if (bytes.length !== KEY_BYTES) throw new KeyFileError(`the key file ${file} is damaged: it must hold exactly ${KEY_BYTES} bytes, it holds ${bytes.length}`);
  let tightened = false;
  if (process.platform !== 'win32' && (fs.statSync(file).mode & 0o077) !== 0) {
    fs.chmodSync(file, 0o600);
    tightened = true;
  }
  return { bytes, tightened };
}

/**
 * Loads the key file, or creates it on the very first start. If the database already carries a
 * fingerprint, a missing or different key file is fatal: silently generating a new key would
 * orphan every encrypted value (platform secrets, operators' personal data).
 */
export async function loadOrCreateKey(dataDir: string, knex: Knex, options: { create?: boolean } = {}): Promise<LoadedKey> {
  const file = path.join(dataDir, KEY_FILE_NAME);
  const expected = await storedFingerprint(knex);
  const existing = readKeyFile(file);
  if (expected !== undefined) {
    if (!existing) refuse(file, `the key file ${file} is missing`);
    const key = new MasterKey(existing.bytes);
    if (key.fingerprint !== expected) refuse(file, `the key file ${file} is not the key this database was encrypted with`);
    return { key, created: false, permissionsTightened: existing.tightened, file };
  }
  let created = false;
  let bytes = existing?.bytes;
  if (!bytes) {
    if (options.create === false) throw new KeyFileError(`no key file ${file} and none registered in the database`);
    bytes = crypto.randomBytes(KEY_BYTES);
    fs.mkdirSync(dataDir, { recursive: true });
    try {
      // 'wx': never overwrite a key another process created a moment ago.
      fs.writeFileSync(file, bytes, { mode: 0o600, flag: 'wx' });
      created = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      bytes = readKeyFile(file)!.bytes;
    }
  }
  const key = new MasterKey(bytes);
  await knex('meta').insert({ key: FINGERPRINT_META_KEY, value: key.fingerprint }).onConflict('key').ignore();
  // Another dock sharing a PostgreSQL database may have registered its key first.
  if ((await storedFingerprint(knex)) !== key.fingerprint) refuse(file, `the key file ${file} differs from the key registered in the shared database`);
  return { key, created, permissionsTightened: existing?.tightened ?? false, file };
}
