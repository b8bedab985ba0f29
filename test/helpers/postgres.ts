import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface TempPostgres {
  url: string;
  stop(): Promise<void>;
}

/** The Debian PostgreSQL server binaries, if installed (`.ci/run` installs the package). */
export function postgresBinDir(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return undefined;
  const versions = fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, 'bin/initdb')));
  const v = versions.sort((a, b) => Number(b) - Number(a))[0];
  return v ? path.join(base, v, 'bin') : undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** A throw-away PostgreSQL cluster on 127.0.0.1 in a temp dir (run as user postgres when we are root). */
export async function startTempPostgres(): Promise<TempPostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL server binaries not found: apt-get install postgresql');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracedock-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
  const run = (cmd: string, args: string[]) =>
    asRoot ? execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args], { stdio: 'pipe' }) : execFileSync(path.join(bin, cmd), args, { stdio: 'pipe' });
  const data = path.join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'tracedock', '--auth=trust', '-E', 'UTF8', '--no-locale']);
  const port = await freePort();
  const args = ['-D', data, '-p', String(port), '-k', dir, '-h', '127.0.0.1', '-F', '-c', 'fsync=off'];
  const proc = asRoot ? spawn('runuser', ['-u', 'postgres', '--', path.join(bin, 'postgres'), ...args], { stdio: 'ignore' }) : spawn(path.join(bin, 'postgres'), args, { stdio: 'ignore' });
  const exited = new Promise((r) => proc.once('exit', r));
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ok = await new Promise<boolean>((r) => {
      const s = net.connect(port, '127.0.0.1', () => (s.end(), r(true))).on('error', () => r(false));
    });
    if (ok) break;
    if (Date.now() > deadline || proc.exitCode !== null) throw new Error('PostgreSQL did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 300)); // accept connections only after recovery finished
  return {
    url: `postgres://tracedock@127.0.0.1:${port}/postgres`,
    async stop() {
      // runuser does not forward signals to postgres; pg_ctl talks to the postmaster directly.
      run('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-s']);
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
