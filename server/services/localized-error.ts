import type { ApiErrorBody, ErrorCode, Lang } from '../contract/errors.js';
import type { Localized } from '../contract/views.js';
import { AppError } from './app-error.js';

export interface LocalizedIssue {
  path: string;
  messages: Localized;
}

/**
 * An AppError whose message names the specifics (which business, which unit, which holder) in both
 * languages; the stable code and status stay those of ERROR_MESSAGES, so clients branch on code.
 */
export class LocalizedAppError extends AppError {
  constructor(
    code: ErrorCode,
    status: number,
    readonly localized: Localized,
    readonly localizedIssues: LocalizedIssue[] = [],
  ) {
    super(code, status, {
      message: localized.en,
      ...(localizedIssues.length ? { issues: localizedIssues.map((i) => ({ path: i.path, message: i.messages.en })) } : {}),
    });
  }

  override body(lang: Lang = 'zh-CN'): ApiErrorBody {
    return {
      code: this.code,
      message: this.localized[lang],
      messages: this.localized,
      ...(this.localizedIssues.length ? { issues: this.localizedIssues.map((i) => ({ path: i.path, message: i.messages[lang] })) } : {}),
    };
  }
}
