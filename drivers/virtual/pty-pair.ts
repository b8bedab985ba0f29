import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

/**
 * A real pseudo-terminal pair made by socat: the workstation opens `scannerPath` exactly like a
 * USB-COM scanner, and whatever is written to `hostPath` arrives there. Killing socat removes both
 * links and the reader sees the same EOF/EBADF a real unplug produces.
 */
export interface PtyPair {
  /** The end a serial driver opens. */
  scannerPath: string;
  /** The end we write scans into. */
  hostPath: string;
  write(data: string | Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export async function createPtyPair(scannerPath: string, hostPath = `${scannerPath}.host`, timeoutMs = 5000): Promise<PtyPair> {
  for (const p of [scannerPath, hostPath]) fs.rmSync(p, { force: true });
  const proc: ChildProcess = spawn('socat', ['-d', `pty,raw,echo=0,link=${hostPath}`, `pty,raw,echo=0,link=${scannerPath}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const spawnError = new Promise<never>((_, reject) => proc.once('error', (e) => reject(new Error(`socat: ${e.message} (apt-get install socat)`))));
  const deadline = Date.now() + timeoutMs;
  while (!(fs.existsSync(scannerPath) && fs.existsSync(hostPath))) {
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`socat did not create the pty pair: ${stderr.trim()}`);
    await Promise.race([new Promise((r) => setTimeout(r, 10)), spawnError]);
  }
  const host = fs.openSync(hostPath, 'w');
  let closed = false;
  return {
    scannerPath,
    hostPath,
    write: (data) =>
      new Promise((resolve, reject) => {
        const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
        fs.write(host, buf, 0, buf.length, null, (err) => (err ? reject(err) : resolve()));
      }),
    async close() {
      if (closed) return;
      closed = true;
      fs.closeSync(host);
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    },
  };
}
