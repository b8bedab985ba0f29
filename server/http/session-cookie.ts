import { parse as parseCookies, serialize } from 'cookie';
import type { Request, Response } from 'express';

/**
 * The session token lives only in this cookie: HttpOnly (no script can read it), SameSite=Strict
 * (no other site can make the browser send it: CSRF), Secure when served over TLS. The same
 * cookie authenticates the socket.io handshake.
 */
export const SESSION_COOKIE = 'td_session';

export function tokenFromCookieHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  try {
    return parseCookies(header)[SESSION_COOKIE];
  } catch {
    return undefined;
  }
}

export const tokenOf = (req: Request): string | undefined => tokenFromCookieHeader(req.headers.cookie);

export function setSessionCookie(res: Response, token: string, expiresAt: number, secure: boolean): void {
  res.setHeader(
    'Set-Cookie',
    serialize(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure, path: '/', expires: new Date(expiresAt) }),
  );
}

export function clearSessionCookie(res: Response, secure: boolean): void {
  res.setHeader('Set-Cookie', serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'strict', secure, path: '/', maxAge: 0 }));
}
