import { z } from 'zod';
import { gansuSaleRowSchema } from '../../gansu/rows.js';
import { faultSchemas } from '../common/fault-schemas.js';
import { FAULT_KINDS } from './types.js';

/** Everything that reaches the sandbox from outside its HTTP operations goes through these. */

export const storeSchema = z.object({ uscc: z.string().min(1), name: z.string().min(1), appKey: z.string().min(1) }).strict();

export const accountSchema = z
  .object({
    loginId: z.string().min(1),
    password: z.string().min(1),
    stores: z.array(storeSchema),
  })
  .strict();

const faults = faultSchemas(FAULT_KINDS, { applyToTokens: z.boolean() });
export const faultPatchSchema = faults.patch;
export const forcedFaultsSchema = faults.forced;
export const faultControlSchema = faults.control;

export const saleFilterSchema = z
  .object({ loginId: z.string().min(1).optional(), uscc: z.string().min(1).optional(), appKey: z.string().min(1).optional() })
  .strict();

export const storedSaleSchema = z.object({
  seq: z.number().int().positive(),
  loginId: z.string(),
  appKey: z.string(),
  uscc: z.string(),
  token: z.string(),
  storedAt: z.number(),
  row: gansuSaleRowSchema,
});

export const optionsSchema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).default(0),
  storeFile: z.string().min(1).optional(),
  rateLimitMs: z.number().int().min(0).default(1_000),
  tokenTtlMs: z.number().int().positive().optional(),
  passwordPadding: z.enum(['pkcs1', 'oaep']).default('pkcs1'),
  statusMode: z.enum(['body', 'mirror']).default('body'),
  privateKeyPem: z.string().min(1).optional(),
});
