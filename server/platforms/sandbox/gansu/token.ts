import { randomBytes, timingSafeEqual } from 'node:crypto';
import { replies, type GansuReply } from './answers.js';
import { decryptPassword } from './keys.js';
import type { GansuState } from './state.js';

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * getToken: loginId and the RSA-encrypted password from the query string (URL-decoded, so a `+`
 * the client forgot to encode arrives as a space and fails, as it would on a Java platform).
 * Every failure — unknown login, undecryptable or wrong password — is the guide's one 500.
 */
export function answerToken(s: GansuState, query: URLSearchParams): GansuReply {
  const loginId = query.get('loginId') ?? '';
  const cipher = query.get('password') ?? '';
  const account = s.accounts.get(loginId);
  const password = account ? decryptPassword(s.keys.privateKey, cipher, s.passwordPadding) : null;
  if (!account || password === null || !sameText(password, account.password)) {
    s.tokenStats.refused++;
    return replies.loginFailed();
  }
  // The guide's example token: 36 characters of base64url.
  const token = randomBytes(27).toString('base64url');
  s.tokens.set(token, { loginId, issuedAt: s.now(), spent: false });
  s.tokenStats.issued++;
  return replies.token(token);
}
