import { ERROR_MESSAGES, type ApiErrorBody, type ErrorCode, type Lang } from '../contract/errors.js';

/** An error with a stable code that the HTTP and socket layers turn into the error envelope. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    readonly extra: { issues?: ApiErrorBody['issues']; scan?: unknown; message?: string } = {},
  ) {
    super(extra.message ?? ERROR_MESSAGES[code].en);
  }

  body(lang: Lang = 'zh-CN'): ApiErrorBody {
    const messages = ERROR_MESSAGES[this.code];
    return {
      code: this.code,
      message: this.extra.message ?? messages[lang],
      messages,
      ...(this.extra.issues ? { issues: this.extra.issues } : {}),
    };
  }
}
