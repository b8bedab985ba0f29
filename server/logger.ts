import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: undefined,
    // Platform secrets and personal data must never reach a log line, whatever the call site passes.
    redact: { paths: ['*.sk', '*.password', '*.appKey', '*.token', 'req.headers.authorization', 'req.headers.cookie'], censor: '[secret]' },
  });
}
