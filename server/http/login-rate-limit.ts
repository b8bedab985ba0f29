import type { RequestHandler } from 'express';
import { AppError } from '../services/app-error.js';

/**
 * Per-address brake on login attempts. The account lockout protects one account; this protects the
 * workstation from one LAN client trying many user names (each failure also writes an audit entry).
 * A sliding window per client address, in memory: a restart forgets it, the lockout does not.
 */
export function loginRateLimit(opts: { max?: number; windowMs?: number; now?: () => number } = {}): RequestHandler {
  const max = opts.max ?? 20;
  const windowMs = opts.windowMs ?? 60_000;
  const now = opts.now ?? Date.now;
  const attempts = new Map<string, number[]>();
  return (req, res, next) => {
    const key = req.ip ?? 'unknown';
    const t = now();
    const recent = (attempts.get(key) ?? []).filter((x) => t - x < windowMs);
    if (recent.length >= max) {
      const retryAfter = Math.ceil((windowMs - (t - recent[0]!)) / 1000);
      res.setHeader('Retry-After', String(retryAfter));
      attempts.set(key, recent);
      return next(new AppError('TOO_MANY_ATTEMPTS', 429));
    }
    recent.push(t);
    attempts.set(key, recent);
    if (attempts.size > 10_000) attempts.clear(); // a flood of spoofed keys must not grow memory without bound
    next();
  };
}
