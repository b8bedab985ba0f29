import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';
import { startWorkstation } from '../../server/workstation.js';
import { startTestWorkstation, tempDir } from '../helpers/workstation.js';

function httpsGet(url: string, ca: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

describe('network exposure', () => {
  it('refuses a non-loopback address without TLS, saying why', () => {
    expect(() => loadConfig({ TRACEDOCK_HOST: '0.0.0.0' })).toThrow(ConfigError);
    expect(() => loadConfig({ TRACEDOCK_HOST: '0.0.0.0' })).toThrow(/without TLS.*TRACEDOCK_TLS=self-signed/s);
    expect(() => loadConfig({ TRACEDOCK_HOST: '192.168.1.20', TRACEDOCK_TLS_CERT: '/x.pem' })).toThrow(/go together/);
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.0.2']) expect(loadConfig({ TRACEDOCK_HOST: host }).host).toBe(host);
  });

  it('with TLS on all interfaces it serves HTTPS with a self-signed certificate kept in the data dir', async () => {
    const dataDir = tempDir();
    const config = loadConfig({ TRACEDOCK_HOST: '0.0.0.0', TRACEDOCK_PORT: '0', TRACEDOCK_DATA_DIR: dataDir, TRACEDOCK_TLS: 'self-signed' });
    const ws = await startWorkstation(config, { logger: pino({ level: 'silent' }) });
    try {
      expect(ws.url).toMatch(/^https:\/\//);
      const port = new URL(ws.url).port;
      const certFile = path.join(dataDir, 'tls/self-signed.cert.pem');
      expect(fs.statSync(path.join(dataDir, 'tls/self-signed.key.pem')).mode & 0o777).toBe(0o600);
      // Verified against the generated certificate: its names include 127.0.0.1.
      const res = await httpsGet(`https://127.0.0.1:${port}/api/health`, fs.readFileSync(certFile, 'utf8'));
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({ status: 'ok' });
      expect(res.headers['strict-transport-security']).toBeDefined();
    } finally {
      await ws.stop();
    }
  });

  it('sends security headers; no HSTS and no upgrade-insecure-requests on plain loopback HTTP', async () => {
    const ws = await startTestWorkstation();
    try {
      const res = await fetch(`${ws.url}/api/health`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
      expect(res.headers.get('content-security-policy')).not.toMatch(/upgrade-insecure-requests/);
      expect(res.headers.get('strict-transport-security')).toBeNull();
      expect(res.headers.get('x-powered-by')).toBeNull();
    } finally {
      await ws.stop();
    }
  });
});
