import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { loadNhsaProfile } from '../server/platforms/nhsa/profile.js';
import { startGansuSandbox, type GansuSandboxAccount } from '../server/platforms/sandbox/gansu/index.js';
import { startNhsaSandbox, type SandboxAccount } from '../server/platforms/sandbox/nhsa/index.js';

/**
 * `npm run sandbox`: the platform stand-ins on their own, for trying a client or a real
 * workstation against them by hand. Faults: POST /__sandbox/faults; what was stored:
 * GET /__sandbox/stats and GET /__sandbox/rows?queryType=…. The Gansu sandbox runs beside it on
 * its own port with the same control endpoints (rows filtered by loginId, uscc or appKey; also
 * GET /__sandbox/calls).
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
    TRACEDOCK_GANSU_SANDBOX_PORT: z.coerce.number().int().min(0).max(65_535).default(8722),
    TRACEDOCK_GANSU_LOGIN_ID: optional,
    TRACEDOCK_GANSU_PASSWORD: optional,
  })
  .refine((e) => (e.TRACEDOCK_NHSA_AK === undefined) === (e.TRACEDOCK_NHSA_SK === undefined), 'TRACEDOCK_NHSA_AK and TRACEDOCK_NHSA_SK go together')
  .refine(
    (e) => (e.TRACEDOCK_GANSU_LOGIN_ID === undefined) === (e.TRACEDOCK_GANSU_PASSWORD === undefined),
    'TRACEDOCK_GANSU_LOGIN_ID and TRACEDOCK_GANSU_PASSWORD go together',
  )
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

// Gansu: one account (a chain's USCC as loginId) with two stores, each with its own USCC and appKey.
// The RSA key is kept in the data directory so a workstation configured with the public key keeps
// working across sandbox restarts; delete the file for a new one.
const gansuGenerated = e.TRACEDOCK_GANSU_LOGIN_ID === undefined;
const gansuLoginId = e.TRACEDOCK_GANSU_LOGIN_ID ?? '91620100MA71TD004X';
// Mixed case, digits and a symbol, as the Gansu notice asks of every password.
const gansuPassword = e.TRACEDOCK_GANSU_PASSWORD ?? `Gs-${randomBytes(9).toString('base64url')}#7a`;
// appKeys follow from login and password: stable for a configured account, new with a generated one.
const appKey = (n: number) => createHash('sha256').update(`${gansuLoginId}\n${gansuPassword}\n${n}`).digest('hex').slice(0, 24);
const gansuAccount: GansuSandboxAccount = {
  loginId: gansuLoginId,
  password: gansuPassword,
  stores: [
    { uscc: '91620100MA71TD012Q', name: '沙箱测试大药房一店', appKey: appKey(1) },
    { uscc: '91620100MA71TD020K', name: '沙箱测试大药房二店', appKey: appKey(2) },
  ],
};
const gansuKeyFile = path.resolve(e.TRACEDOCK_DATA_DIR, 'sandbox', 'gansu-rsa-private.pem');
if (!fs.existsSync(gansuKeyFile)) {
  fs.mkdirSync(path.dirname(gansuKeyFile), { recursive: true });
  fs.writeFileSync(gansuKeyFile, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
}
const gansuStoreFile = path.resolve(e.TRACEDOCK_DATA_DIR, 'sandbox', 'gansu-store.jsonl');
const gansu = await startGansuSandbox({
  accounts: [gansuAccount],
  host: e.TRACEDOCK_SANDBOX_HOST,
  port: e.TRACEDOCK_GANSU_SANDBOX_PORT,
  storeFile: gansuStoreFile,
  privateKeyPem: fs.readFileSync(gansuKeyFile, 'utf8'),
});
console.log(`Gansu sandbox listening on ${gansu.url}`);
console.log(`  store: ${gansuStoreFile} (${gansu.stats().stored} rows kept from earlier runs)`);
if (gansuGenerated) console.log(`  account (generated for this run): TRACEDOCK_GANSU_LOGIN_ID=${gansuAccount.loginId} TRACEDOCK_GANSU_PASSWORD=${gansuAccount.password}`);
else console.log(`  account: TRACEDOCK_GANSU_LOGIN_ID=${gansuAccount.loginId} (password from TRACEDOCK_GANSU_PASSWORD)`);
for (const st of gansuAccount.stores) console.log(`  store ${st.name}: USCC ${st.uscc} appKey ${st.appKey}`);
console.log(`  RSA public key (base64 DER, ${gansuKeyFile} holds the private key): ${gansu.publicKeyBase64}`);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping the sandboxes`);
  Promise.all([nhsa.close(), gansu.close()]).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
