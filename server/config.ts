import path from 'node:path';
import { z } from 'zod';
import { exposureProblem, type TlsSetting } from './network/exposure.js';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const envSchema = z.object({
  TRACEDOCK_HOST: z.string().trim().min(1).default('127.0.0.1'),
  TRACEDOCK_PORT: z.coerce.number().int().min(0).max(65535).default(8720),
  TRACEDOCK_DATA_DIR: z.string().trim().min(1).default('./data'),
  TRACEDOCK_DB_URL: optionalString.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// URL or empty'),
  TRACEDOCK_ADMIN_PASSWORD: optionalString,
  TRACEDOCK_TLS: z.enum(['off', 'self-signed']).default('off'),
  TRACEDOCK_TLS_CERT: optionalString,
  TRACEDOCK_TLS_KEY: optionalString,
  TRACEDOCK_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRACEDOCK_NHSA_URL: optionalString,
  TRACEDOCK_NHSA_AK: optionalString,
  TRACEDOCK_NHSA_SK: optionalString,
  TRACEDOCK_NHSA_PROFILE: optionalString,
  TRACEDOCK_UPLOAD_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  TRACEDOCK_UPLOAD_TIMEOUT_MS: z.coerce.number().int().min(50).max(600_000).default(15_000),
  // How long a finished export file is kept for download before it is removed (the job stays listed).
  TRACEDOCK_EXPORT_RETENTION_DAYS: z.coerce.number().min(0.0001).max(3650).default(7),
  TRACEDOCK_UPLOAD_GRACE_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  TRACEDOCK_UPLOAD_BACKOFF_MS: z.coerce.number().int().min(1).max(3_600_000).default(1_000),
  TRACEDOCK_UPLOAD_BACKOFF_MAX_MS: z.coerce.number().int().min(1).max(86_400_000).default(300_000),
  TRACEDOCK_GANSU_URL: optionalString,
  TRACEDOCK_GANSU_LOGIN_ID: optionalString,
  TRACEDOCK_GANSU_PASSWORD: optionalString,
  TRACEDOCK_GANSU_PUBLIC_KEY: optionalString,
  TRACEDOCK_GANSU_APP_KEY: optionalString,
});

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  dbUrl: string | undefined;
  tls: TlsSetting;
  adminPassword: string | undefined;
  logLevel: z.infer<typeof envSchema>['TRACEDOCK_LOG_LEVEL'];
  nhsa: { url?: string; ak?: string; sk?: string; profileFile?: string };
  /** The outbox worker: calls in flight, answer timeout, and the wait before an unknown outcome is queried. */
  uploads: { concurrency: number; timeoutMs: number; unknownGraceMs: number; backoffMs: number; backoffMaxMs: number };
  gansu: { url?: string; loginId?: string; password?: string; publicKey?: string; appKey?: string };
  exports: { retentionMs: number };
}

export class ConfigError extends Error {}

/** Reads and validates the environment once; every other module receives the typed result. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if ((e.TRACEDOCK_TLS_CERT === undefined) !== (e.TRACEDOCK_TLS_KEY === undefined)) {
    throw new ConfigError('invalid configuration:\n  TRACEDOCK_TLS_CERT and TRACEDOCK_TLS_KEY go together');
  }
  const tls: TlsSetting =
    e.TRACEDOCK_TLS_CERT && e.TRACEDOCK_TLS_KEY
      ? { mode: 'files', certFile: path.resolve(e.TRACEDOCK_TLS_CERT), keyFile: path.resolve(e.TRACEDOCK_TLS_KEY) }
      : { mode: e.TRACEDOCK_TLS };
  const problem = exposureProblem(e.TRACEDOCK_HOST, tls);
  if (problem) throw new ConfigError(`TRACEDOCK_HOST: ${problem}`);
  return {
    host: e.TRACEDOCK_HOST,
    port: e.TRACEDOCK_PORT,
    dataDir: path.resolve(e.TRACEDOCK_DATA_DIR),
    dbUrl: e.TRACEDOCK_DB_URL,
    tls,
    adminPassword: e.TRACEDOCK_ADMIN_PASSWORD,
    logLevel: e.TRACEDOCK_LOG_LEVEL,
    nhsa: { url: e.TRACEDOCK_NHSA_URL, ak: e.TRACEDOCK_NHSA_AK, sk: e.TRACEDOCK_NHSA_SK, profileFile: e.TRACEDOCK_NHSA_PROFILE ? path.resolve(e.TRACEDOCK_NHSA_PROFILE) : undefined },
    exports: { retentionMs: Math.round(e.TRACEDOCK_EXPORT_RETENTION_DAYS * 86_400_000) },
    uploads: { concurrency: e.TRACEDOCK_UPLOAD_CONCURRENCY, timeoutMs: e.TRACEDOCK_UPLOAD_TIMEOUT_MS, unknownGraceMs: e.TRACEDOCK_UPLOAD_GRACE_MS, backoffMs: e.TRACEDOCK_UPLOAD_BACKOFF_MS, backoffMaxMs: e.TRACEDOCK_UPLOAD_BACKOFF_MAX_MS },
    gansu: {
      url: e.TRACEDOCK_GANSU_URL,
      loginId: e.TRACEDOCK_GANSU_LOGIN_ID,
      password: e.TRACEDOCK_GANSU_PASSWORD,
      publicKey: e.TRACEDOCK_GANSU_PUBLIC_KEY,
      appKey: e.TRACEDOCK_GANSU_APP_KEY,
    },
  };
}

/** Secrets never leave the process: this is what logs and /api/health may show. */
export function describeConfig(c: Config): Record<string, unknown> {
  return {
    host: c.host,
    port: c.port,
    dataDir: c.dataDir,
    database: c.dbUrl ? 'postgres' : 'sqlite',
    tls: c.tls.mode,
    nhsa: c.nhsa.url ? 'configured' : 'sandbox',
    gansu: c.gansu.url && c.gansu.loginId ? 'configured' : 'sandbox',
  };
}
