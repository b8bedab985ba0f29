import crypto from 'node:crypto';

/**
 * Session tokens are 32 random bytes (base64url, 43 characters). Only their SHA-256 is stored: a
 * copy of the database does not let anyone ride an open session. A plain hash suffices (no salt,
 * no argon2) because the token has 256 bits of entropy.
 */
const TOKEN_BYTES = 32;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function newSessionToken(): string {
  return crypto.randomBytes(TOKEN_BYTES).toString('base64url');
}

/** Rejects anything that is not shaped like one of our tokens before it reaches the database. */
export function isWellFormedToken(token: unknown): token is string {
  return typeof token === 'string' && TOKEN_SHAPE.test(token);
}

export function hashSessionToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}
