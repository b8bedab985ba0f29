import { spawn } from 'node:child_process';
// What `npm start` runs: the esbuild bundle of server/main.ts, built as npm start does.
import { buildServer } from '../../scripts/bench/workstation-process.js';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/workstation.js';
import { DEV_ADMIN_INITIAL_PASSWORD, establishAdminSession } from '../../scripts/lib/dev-session.js';

const root = path.resolve(import.meta.dirname, '../..');


function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/server.mjs'], { cwd: root, env: { ...process.env, TRACEDOCK_LOG_LEVEL: 'warn', ...env } });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, exited, out: () => out, err: () => err };
}

describe('the workstation process (what npm start runs)', () => {
  beforeAll(() => buildServer(), 60_000);

  it('starts on the configured address with an embedded SQLite under the data dir, prints its URL, and shuts down cleanly', async () => {
    const dataDir = tempDir();
    const p = run({ TRACEDOCK_PORT: '0', TRACEDOCK_DATA_DIR: dataDir, TRACEDOCK_ADMIN_PASSWORD: DEV_ADMIN_INITIAL_PASSWORD });
    const deadline = Date.now() + 20_000;
    let url: string | undefined;
    while (!url && Date.now() < deadline) {
      url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(p.out())?.[1];
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(url, p.err()).toBeDefined();
    const health = (await (await fetch(`${url}/api/health`)).json()) as { status: string; database: string };
    expect(health).toMatchObject({ status: 'ok', database: 'sqlite' });
    const anonymous = await fetch(`${url}/api/stations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"A"}' });
    expect(anonymous.status).toBe(401);
    const { cookie } = await establishAdminSession(url!);
    const headers = { 'content-type': 'application/json', cookie };
    const st = await fetch(`${url}/api/stations`, { method: 'POST', headers, body: '{"name":"A"}' });
    expect(st.status).toBe(201);
    const scan = await fetch(`${url}/api/stations/1/scans`, { method: 'POST', headers, body: '{"raw":"83857930000879766660"}' });
    expect(scan.status).toBe(201);
    expect(fs.statSync(path.join(dataDir, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(path.join(dataDir, 'tracedock.sqlite'))).toBe(true);

    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    // Checkpointed on shutdown: the WAL holds nothing the main file lacks.
    const wal = path.join(dataDir, 'tracedock.sqlite-wal');
    expect(fs.existsSync(wal) ? fs.statSync(wal).size : 0).toBe(0);
  });

  it('refuses to start on invalid configuration and says which variable is wrong', async () => {
    const p = run({ TRACEDOCK_PORT: 'eighty', TRACEDOCK_DATA_DIR: tempDir() });
    expect(await p.exited).toBe(2);
    expect(p.err()).toMatch(/TRACEDOCK_PORT/);
  });
});
