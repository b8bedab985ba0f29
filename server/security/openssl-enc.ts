import crypto from 'node:crypto';

/**
 * Files with personal data leave the workstation encrypted (the Gansu notice, section 四: data
 * shared with other departments must be protected). The format is OpenSSL's own, so the receiver
 * needs no TraceDock tool:
 *   openssl enc -d -aes-256-cbc -pbkdf2 -iter 200000 -md sha256 -in file.enc -out file.xlsx
 * i.e. `Salted__` + 8-byte salt + AES-256-CBC, key and IV from PBKDF2-HMAC-SHA256.
 */
export const OPENSSL_ITERATIONS = 200_000;

export function opensslEncrypt(plain: Buffer, password: string): Buffer {
  const salt = crypto.randomBytes(8);
  const keyIv = crypto.pbkdf2Sync(password, salt, OPENSSL_ITERATIONS, 48, 'sha256');
  const c = crypto.createCipheriv('aes-256-cbc', keyIv.subarray(0, 32), keyIv.subarray(32));
  return Buffer.concat([Buffer.from('Salted__'), salt, c.update(plain), c.final()]);
}

export const OPENSSL_DECRYPT_HINT = `openssl enc -d -aes-256-cbc -pbkdf2 -iter ${OPENSSL_ITERATIONS} -md sha256 -in <file> -out <file>.xlsx`;
