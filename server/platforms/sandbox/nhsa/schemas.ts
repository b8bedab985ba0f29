import { z } from 'zod';
import { UPLOAD_OPERATIONS } from '../../nhsa/profile.schema.js';
import { faultSchemas } from '../common/fault-schemas.js';
import { FAULT_KINDS } from './types.js';

/** Everything that reaches the sandbox from outside its HTTP operations goes through these. */

export const accountSchema = z.object({
  ak: z.string().min(1),
  sk: z.string().min(1),
  uscc: z.string().min(1),
  name: z.string().min(1),
});

const faults = faultSchemas(FAULT_KINDS, { applyToQueries: z.boolean() });
export const faultPatchSchema = faults.patch;
export const forcedFaultsSchema = faults.forced;
export const faultControlSchema = faults.control;

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
