import { constants, createPrivateKey, createPublicKey, generateKeyPairSync, privateDecrypt, type KeyObject } from 'node:crypto';

export interface SandboxKeys {
  privateKey: KeyObject;
  publicKeyPem: string;
  publicKeyBase64: string;
  privateKeyPem: string;
}

/** A fresh 2048-bit pair, or the one given (so a standalone sandbox can keep its key across runs). */
export function sandboxKeys(privateKeyPem?: string): SandboxKeys {
  const privateKey = privateKeyPem ? createPrivateKey(privateKeyPem) : generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  if (privateKey.asymmetricKeyType !== 'rsa') throw new Error('Gansu sandbox: the private key is not RSA');
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return {
    privateKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    publicKeyBase64: der.toString('base64'),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/**
 * The password from getToken's `password`: base64 of one RSA block. Node's privateDecrypt no
 * longer takes PKCS#1 v1.5 padding (the Marvin fix), so the block is opened raw and the v1.5
 * encryption padding checked here: 0x00 0x02, at least 8 non-zero random bytes, 0x00, message.
 * Null for anything else — the platform answers every such case with the same 500.
 */
export function decryptPassword(privateKey: KeyObject, text: string, padding: 'pkcs1' | 'oaep'): string | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return null;
  const cipher = Buffer.from(text, 'base64');
  const k = (privateKey.asymmetricKeyDetails?.modulusLength ?? 2048) / 8;
  if (cipher.length !== k) return null;
  let message: Buffer;
  try {
    if (padding === 'oaep') message = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, cipher);
    else {
      const em = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, cipher);
      if (em.length !== k || em[0] !== 0x00 || em[1] !== 0x02) return null;
      const end = em.indexOf(0x00, 2);
      if (end < 10) return null;
      message = em.subarray(end + 1);
    }
  } catch {
    return null;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(message);
  } catch {
    return null;
  }
}
