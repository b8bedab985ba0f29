import crypto from 'node:crypto';

/**
 * AES-256-GCM for files too large for a column (prescription photos, exports with personal data):
 * `TDB1 | iv (12) | tag (16) | ciphertext`. The key is derived per purpose from the master key, so
 * a photo file copied off the machine is useless without the key file.
 */
const MAGIC = Buffer.from('TDB1');

export function sealBlob(key: Buffer, plain: Buffer): Buffer {
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([MAGIC, iv, c.getAuthTag(), body]);
}

export function openBlob(key: Buffer, sealed: Buffer): Buffer {
  if (sealed.length < 32 || !sealed.subarray(0, 4).equals(MAGIC)) throw new Error('not a sealed blob');
  const d = crypto.createDecipheriv('aes-256-gcm', key, sealed.subarray(4, 16));
  d.setAuthTag(sealed.subarray(16, 32));
  return Buffer.concat([d.update(sealed.subarray(32)), d.final()]);
}
