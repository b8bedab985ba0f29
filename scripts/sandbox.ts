import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { loadNhsaProfile } from '../server/platforms/nhsa/profile.js';
import { startNhsaSandbox, type SandboxAccount } from '../server/platforms/sandbox/nhsa/index.js';

/**
 * `npm run sandbox`: the platform stand-ins on their own, for trying a client or a real
 * workstation against them by hand. Faults: POST /__sandbox/faults; what was stored:
 * GET /__sandbox/stats and GET /__sandbox/rows?queryType=….
 * The Gansu sandbox will start here too, on its own port, once it exists.
 */
const optional = z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().min(1).optional());
const env = z
  .object({
    TRACEDOCK_SANDBOX_HOST: z.string().trim().min(1).default('127.0.0.1'),
    TRACEDOCK_SANDBOX_PORT: z.coerce.number().int().min(0).max(65_535).default(8721),
    TRACEDOCK_DATA_DIR: z.string().trim().min(1).default('./data'),
    TRACEDOCK_NHSA_PROFILE: optional,
    TRACEDOCK_NHSA_AK: optional,
    TRACEDOCK_NHSA_SK: optional,
  })
  .refine((e) => (e.TRACEDOCK_NHSA_AK === undefined) === (e.TRACEDOCK_NHSA_SK === undefined), 'TRACEDOCK_NHSA_AK and TRACEDOCK_NHSA_SK go together')
  .safeParse(process.env);
if (!env.success) {
  console.error(`invalid configuration:\n${env.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`).join('\n')}`);
  process.exit(2);
}
const e = env.data;

const { profile, source } = loadNhsaProfile(e.TRACEDOCK_NHSA_PROFILE);
const generated = e.TRACEDOCK_NHSA_AK === undefined;
const account: SandboxAccount = {
  ak: e.TRACEDOCK_NHSA_AK ?? `sandbox-${randomBytes(8).toString('hex')}`,
  sk: e.TRACEDOCK_NHSA_SK ?? randomBytes(24).toString('hex'),
  uscc: '91000000MA00000000',
  name: '沙箱测试企业',
};
const storeFile = path.resolve(e.TRACEDOCK_DATA_DIR, 'sandbox', 'nhsa-store.jsonl');
const nhsa = await startNhsaSandbox({ profile, accounts: [account], host: e.TRACEDOCK_SANDBOX_HOST, port: e.TRACEDOCK_SANDBOX_PORT, storeFile });

console.log(`NHSA sandbox listening on ${nhsa.url} (profile ${profile.profileVersion}, ${source})`);
console.log(`  store: ${storeFile} (${nhsa.stats().stored} rows kept from earlier runs)`);
// A generated secret exists nowhere else, so it is shown once; a configured one is never echoed.
if (generated) console.log(`  account (generated for this run): TRACEDOCK_NHSA_AK=${account.ak} TRACEDOCK_NHSA_SK=${account.sk}`);
else console.log(`  account: TRACEDOCK_NHSA_AK=${account.ak} (sk from TRACEDOCK_NHSA_SK)`);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping the sandbox`);
  nhsa.close().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
