import { z } from 'zod';
import { UPLOAD_OPERATIONS } from '../../nhsa/profile.schema.js';
import { FAULT_KINDS } from './types.js';

/** Everything that reaches the sandbox from outside its HTTP operations goes through these. */

export const accountSchema = z.object({
  ak: z.string().min(1),
  sk: z.string().min(1),
  uscc: z.string().min(1),
  name: z.string().min(1),
});

export const faultPatchSchema = z
  .object({
    rate: z.number().min(0).max(1),
    kinds: z.array(z.enum(FAULT_KINDS)),
    slowMs: z.number().int().min(0).max(600_000),
    hangMs: z.number().int().min(0).max(600_000),
    applyToQueries: z.boolean(),
    seed: z.number().int(),
  })
  .partial()
  .strict();

export const forcedFaultsSchema = z.array(z.enum(FAULT_KINDS));

/** The control endpoint also takes `force` so a standalone sandbox can be made deterministic. */
export const faultControlSchema = faultPatchSchema.extend({ force: forcedFaultsSchema.optional() }).strict();

export const rowFilterSchema = z.object({ ak: z.string().min(1).optional(), queryType: z.string().min(1).optional() }).strict();

export const storedRowSchema = z.object({
  seq: z.number().int().positive(),
  ak: z.string(),
  uscc: z.string(),
  operation: z.enum(UPLOAD_OPERATIONS),
  queryType: z.string(),
  fields: z.record(z.string(), z.union([z.string(), z.number()])),
  uploadedAt: z.number(),
  uploadDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});

export const optionsSchema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).default(0),
  toleranceSeconds: z.number().positive().default(300),
  storeFile: z.string().min(1).optional(),
});
