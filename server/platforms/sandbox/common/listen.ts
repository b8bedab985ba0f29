import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendJson } from './http.js';

export interface Listening {
  url: string;
  close(): Promise<void>;
}

/** Runs `fn` after `ms` unless the sandbox is closed first. */
export type Later = (ms: number, fn: () => void) => void;

export interface ListenOptions {
  host: string;
  port: number;
  /** Prefixes the log line of an error the handler did not catch, e.g. `NHSA sandbox`. */
  name: string;
  /** What the client gets for such an error, worded as the platform would. */
  internalErrorBody: unknown;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, later: Later) => Promise<void>;

/**
 * Serves `handle` on host:port. Delayed answers (slow and timeout faults) go through `later`, so
 * close() can cancel them instead of leaving timers that keep a test process alive.
 */
export async function listen(o: ListenOptions, handle: Handler): Promise<Listening> {
  const timers = new Set<NodeJS.Timeout>();
  const later: Later = (ms, fn) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const server = http.createServer((req, res) => {
    handle(req, res, later).catch((err: unknown) => {
      console.error(`${o.name}: internal error`, err);
      if (!res.headersSent) sendJson(res, 500, o.internalErrorBody);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  // Idempotent: a test may close a sandbox itself and again in its clean-up.
  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostPart}:${address.port}`,
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      })),
  };
}
