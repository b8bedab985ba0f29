import crypto from 'node:crypto';
import type { MasterKey } from './key-file.js';

/**
 * AES-256-GCM per value. Text format `v1.<iv>.<ciphertext+tag>` (base64url): the version lets a
 * later key rotation or algorithm change coexist with old rows. The associated data is
 * `table.column`, so a ciphertext copied into another column (say a unit's sk into a buyer's
 * name shown on screen) fails to decrypt instead of leaking.
 */
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Platform secrets and personal data are short; a cap keeps a bad caller from bloating rows. */
export const MAX_PLAINTEXT_BYTES = 16_384;

export class FieldCryptoError extends Error {
  override readonly name = 'FieldCryptoError';
}

/** `table.column`, e.g. `units.nhsa_sk_enc`. */
export type FieldContext = `${string}.${string}`;

export class FieldCipher {
  readonly #key: Buffer;

  constructor(master: MasterKey) {
    this.#key = master.derive('field-encryption');
  }

  encrypt(plaintext: string, context: FieldContext): string {
    const data = Buffer.from(plaintext, 'utf8');
    if (data.length > MAX_PLAINTEXT_BYTES) throw new FieldCryptoError(`value too long to encrypt (${data.length} bytes)`);
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.#key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(data), cipher.final(), cipher.getAuthTag()]);
    return `${VERSION}.${iv.toString('base64url')}.${body.toString('base64url')}`;
  }

  decrypt(text: string, context: FieldContext): string {
    const parts = text.split('.');
    if (parts.length !== 3 || parts[0] !== VERSION) throw new FieldCryptoError(`not an encrypted value of version ${VERSION} (${context})`);
    const iv = Buffer.from(parts[1]!, 'base64url');
    const body = Buffer.from(parts[2]!, 'base64url');
    if (iv.length !== IV_BYTES || body.length < TAG_BYTES) throw new FieldCryptoError(`malformed encrypted value (${context})`);
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.#key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new FieldCryptoError(`encrypted value failed authentication (${context}): wrong key, wrong column or tampered data`);
    }
  }

  encryptOptional(plaintext: string | null | undefined, context: FieldContext): string | null {
    return plaintext === null || plaintext === undefined ? null : this.encrypt(plaintext, context);
  }

  decryptOptional(text: string | null, context: FieldContext): string | null {
    return text === null ? null : this.decrypt(text, context);
  }
}

/**
 * Keyed lookup hash (HMAC-SHA-256 under a derived key) for values that must be found by equality
 * but are too short to survive a brute force if hashed plainly — badge codes.
 */
export class BlindIndex {
  readonly #key: Buffer;

  constructor(master: MasterKey) {
    this.#key = master.derive('blind-index');
  }

  of(value: string, context: string): string {
    return crypto.createHmac('sha256', this.#key).update(`${context}\u0000${value}`).digest('hex');
  }
}
