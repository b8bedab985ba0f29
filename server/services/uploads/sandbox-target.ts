import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startNhsaSandbox, type NhsaSandbox, type SandboxAccount } from '../../platforms/sandbox/nhsa/index.js';
import type { NhsaProfile } from '../../platforms/nhsa/profile.schema.js';

/**
 * With no platform URL configured, `npm start` uploads to the built-in sandbox on 127.0.0.1 (the UI
 * shows a "sandbox" badge). Its account and what it accepted live under the data directory, so a
 * restarted workstation finds its earlier uploads there when it resolves or reconciles.
 */
export async function startEmbeddedSandbox(dataDir: string, profile: NhsaProfile): Promise<{ sandbox: NhsaSandbox; account: SandboxAccount }> {
  const dir = path.join(dataDir, 'sandbox');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'nhsa-account.json');
  let account: SandboxAccount;
  if (fs.existsSync(file)) account = JSON.parse(fs.readFileSync(file, 'utf8')) as SandboxAccount;
  else {
    account = { ak: `sandbox-${crypto.randomBytes(6).toString('hex')}`, sk: crypto.randomBytes(24).toString('base64url'), uscc: '91000000000000000X', name: 'TraceDock 沙箱' };
    fs.writeFileSync(file, JSON.stringify(account), { mode: 0o600 });
  }
  const sandbox = await startNhsaSandbox({ profile, accounts: [account], host: '127.0.0.1', port: 0, storeFile: path.join(dir, 'nhsa-store.jsonl') });
  return { sandbox, account };
}
