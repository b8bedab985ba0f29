import type { z } from 'zod';
import { AppError } from './services/app-error.js';

/** Parses with a zod schema or throws VALIDATION_FAILED with every field problem. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new AppError('VALIDATION_FAILED', 400, {
    issues: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
}
