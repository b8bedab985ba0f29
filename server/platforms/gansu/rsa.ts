import { constants, createPublicKey, publicEncrypt, type KeyObject } from 'node:crypto';

export interface EncryptOptions {
  /** PKCS#1 v1.5 unless the platform says otherwise (DOMAIN.md §7: keep it configurable). */
  padding?: 'pkcs1' | 'oaep';
  encoding?: 'base64' | 'hex';
}

/**
 * The platform's RSA public key as a KeyObject. Accepts what platforms hand out: a PEM public key
 * (SPKI "BEGIN PUBLIC KEY" or PKCS#1 "BEGIN RSA PUBLIC KEY"), or the bare base64 of the DER SPKI
 * body (often pasted with line breaks, sometimes base64url). A private key is refused: it has no
 * business in a workstation's settings.
 */
export function gansuPublicKey(publicKey: string): KeyObject {
  const text = publicKey.trim();
  if (text === '') throw new Error('RSA public key: empty');
  if (/PRIVATE KEY/.test(text)) throw new Error('RSA public key: this is a private key; give the platform’s public key');
  let key: KeyObject;
  if (text.includes('-----BEGIN')) {
    try {
      key = createPublicKey({ key: text, format: 'pem' });
    } catch (err) {
      throw new Error(`RSA public key: unreadable PEM (${(err as Error).message})`);
    }
  } else {
    const body = text.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw new Error('RSA public key: neither PEM nor base64');
    const der = Buffer.from(body, 'base64');
    key = derKey(der);
  }
  if (key.asymmetricKeyType !== 'rsa') throw new Error(`RSA public key: a ${key.asymmetricKeyType ?? 'unknown'} key, not RSA`);
  return key;
}

function derKey(der: Buffer): KeyObject {
  try {
    return createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch {
    try {
      return createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
    } catch (err) {
      throw new Error(`RSA public key: the base64 is not a DER SPKI or PKCS#1 public key (${(err as Error).message})`);
    }
  }
}

/** Room for the message in one RSA block: k − 11 for PKCS#1 v1.5, k − 42 for OAEP with SHA-1. */
export function maxPasswordBytes(key: KeyObject, padding: 'pkcs1' | 'oaep' = 'pkcs1'): number {
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 2048;
  return Math.floor(bits / 8) - (padding === 'oaep' ? 42 : 11);
}

/**
 * The `password` query parameter of getToken: the UTF-8 password encrypted with the platform's
 * public key, base64 by default. Random padding makes every call's ciphertext different.
 */
export function encryptPassword(publicKey: string | KeyObject, password: string, o: EncryptOptions = {}): string {
  const key = typeof publicKey === 'string' ? gansuPublicKey(publicKey) : publicKey;
  const padding = o.padding ?? 'pkcs1';
  const plain = Buffer.from(password, 'utf8');
  if (plain.length === 0) throw new Error('RSA password: empty');
  const room = maxPasswordBytes(key, padding);
  if (plain.length > room) throw new Error(`RSA password: ${plain.length} bytes do not fit one RSA block (at most ${room})`);
  const cipher = publicEncrypt(
    padding === 'oaep' ? { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' } : { key, padding: constants.RSA_PKCS1_PADDING },
    plain,
  );
  return cipher.toString(o.encoding ?? 'base64');
}
