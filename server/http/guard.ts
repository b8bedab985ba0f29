import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError } from '../services/app-error.js';
import type { AuthService, SessionContext } from '../services/auth.service.js';
import { assertReady } from '../services/station-access.js';
import { tokenOf } from './session-cookie.js';

/** The caller, set by `authenticated`. */
export const ctxOf = (res: Response): SessionContext => {
  const ctx = res.locals.ctx as SessionContext | undefined;
  if (!ctx) throw new AppError('AUTH_REQUIRED', 401);
  return ctx;
};

type Async = (req: Request, res: Response) => Promise<void>;
const wrap = (fn: Async): RequestHandler => (req, res, next: NextFunction) => void fn(req, res).then(() => next(), next);

/** Every route after this one needs a valid session (forged, expired or revoked → 401). */
export const authenticated = (auth: AuthService): RequestHandler =>
  wrap(async (req, res) => {
    res.locals.ctx = await auth.authenticate(tokenOf(req));
  });

/** Working routes: the initial password changed and a unit chosen (NHSA: 选择单位后办理业务). */
export const ready: RequestHandler = (_req, res, next) => {
  try {
    assertReady(ctxOf(res));
    next();
  } catch (err) {
    next(err);
  }
};

export const workstationAdmin = (auth: AuthService): RequestHandler =>
  wrap(async (_req, res) => {
    await auth.requireAdmin(ctxOf(res));
  });

/**
 * CSRF defence in depth next to SameSite=Strict: a state-changing request that names an Origin
 * must come from this very origin.
 */
export const sameOrigin: RequestHandler = (req, _res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
  const origin = req.headers.origin;
  if (!origin) return next();
  try {
    if (new URL(origin).host === req.headers.host) return next();
  } catch {
    // fall through: a malformed Origin is as foreign as a different one
  }
  next(new AppError('FORBIDDEN', 403, { message: 'cross-site request refused' }));
};
