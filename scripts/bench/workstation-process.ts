import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export interface ServerProcess {
  url: string;
  pid: number;
  rssMiB(): number;
  stop(): Promise<number | null>;
  /** kill -9: no shutdown hook runs (crash tests). */
  kill(): Promise<void>;
  /** Everything the process printed so far. */
  output(): string;
}

/** Builds what `npm start` runs (the esbuild bundle), once per benchmark. */
export function buildServer(): void {
  execFileSync('npm', ['run', 'build:server', '--silent'], { cwd: root, stdio: 'inherit' });
}

/** Runs the workstation as its own process, exactly as `npm start` does, so its RSS is its own. */
export async function startServerProcess(dataDir: string, extraEnv: Record<string, string> = {}): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--enable-source-maps', 'dist/server.mjs'], {
    cwd: root,
    env: { ...process.env, TRACEDOCK_PORT: '0', TRACEDOCK_DATA_DIR: dataDir, TRACEDOCK_LOG_LEVEL: 'warn', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  const deadline = Date.now() + 60_000;
  let url: string | undefined;
  while (!url) {
    url = /listening on (http:\/\/[^\s]+)/.exec(out)?.[1];
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`workstation did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    pid: child.pid!,
    rssMiB: () => {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : Number.NaN;
    },
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    output: () => out,
  };
}
