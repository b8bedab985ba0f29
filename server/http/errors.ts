import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Lang } from '../contract/errors.js';
import type { Logger } from '../logger.js';
import { AppError } from '../services/app-error.js';

export const langOf = (req: Request): Lang => (req.acceptsLanguages('zh-CN', 'zh', 'en') === 'en' ? 'en' : 'zh-CN');

export const notFound: RequestHandler = (_req, _res, next) => next(new AppError('NOT_FOUND', 404));

/** Every failure leaves as `{error: {code, message, messages}}`; stack traces stay in the log. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const appErr = toAppError(err);
    if (appErr.status >= 500 && appErr.code !== 'STORAGE_FAILED') log.error({ err, url: req.originalUrl }, 'request failed');
    res.status(appErr.status).json({ error: appErr.body(langOf(req)) });
  };
}

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as { type?: string; status?: number };
  if (e?.type === 'entity.parse.failed') return new AppError('BAD_JSON', 400);
  if (e?.type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE', 413);
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return new AppError('VALIDATION_FAILED', e.status);
  return new AppError('INTERNAL', 500);
}
