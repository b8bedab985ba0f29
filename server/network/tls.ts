import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import selfsigned from 'selfsigned';
import type { TlsSetting } from './exposure.js';

export interface TlsMaterial {
  cert: string;
  key: string;
  /** Where it came from, for the start-up line. */
  source: string;
}

/** Loads the configured certificate, or the self-signed one in the data dir (generated once, kept). */
export async function loadTls(setting: TlsSetting, dataDir: string): Promise<TlsMaterial | undefined> {
  if (setting.mode === 'off') return undefined;
  if (setting.mode === 'files') {
    return { cert: read(setting.certFile, 'TRACEDOCK_TLS_CERT'), key: read(setting.keyFile, 'TRACEDOCK_TLS_KEY'), source: setting.certFile };
  }
  const dir = path.join(dataDir, 'tls');
  const certFile = path.join(dir, 'self-signed.cert.pem');
  const keyFile = path.join(dir, 'self-signed.key.pem');
  if (!fs.existsSync(certFile) || !fs.existsSync(keyFile)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const pems = await selfsigned.generate([{ name: 'commonName', value: `TraceDock ${os.hostname()}` }], {
      // 825 days: the longest validity browsers still accept for a leaf certificate.
      notAfterDate: new Date(Date.now() + 825 * 86_400_000),
      keySize: 2048,
      extensions: [{ name: 'subjectAltName', altNames: altNames() }],
    });
    fs.writeFileSync(keyFile, pems.private, { mode: 0o600 });
    fs.writeFileSync(certFile, pems.cert, { mode: 0o644 });
  }
  return { cert: fs.readFileSync(certFile, 'utf8'), key: fs.readFileSync(keyFile, 'utf8'), source: certFile };
}

/** Tablets on the LAN reach the dock PC by its name or one of its addresses. */
function altNames(): Array<{ type: 2 | 7; value?: string; ip?: string }> {
  const names: Array<{ type: 2 | 7; value?: string; ip?: string }> = [
    { type: 2, value: 'localhost' },
    { type: 2, value: os.hostname() },
  ];
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) names.push({ type: 7, ip: a.address });
  }
  return names;
}

function read(file: string, variable: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${variable}: cannot read ${file}: ${(err as Error).message}`);
  }
}
