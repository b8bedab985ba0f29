import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { refusalAnswer } from './answers.js';
import { answerCall } from './calls.js';
import { handleControl } from './control.js';
import { readBody, sendJson } from './http.js';
import { CONTROL_PREFIX } from './routes.js';
import { bump, type SandboxState } from './state.js';

export interface Listening {
  url: string;
  close(): Promise<void>;
}

const GATEWAY_BODY: Record<number, string> = {
  500: '<html><body><h1>500 Internal Server Error</h1></body></html>',
  502: '<html><body><h1>502 Bad Gateway</h1></body></html>',
  503: '<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>',
};

export async function listen(s: SandboxState, host: string, port: number): Promise<Listening> {
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (url.pathname.startsWith(CONTROL_PREFIX)) return handleControl(s, req, res, url);
    const route = s.routes.get(url.pathname);
    if (!route) return sendJson(res, 404, refusalAnswer(s.profile, { code: 404, message: `接口不存在：${url.pathname}` }, s.now()));
    if (req.method !== 'POST') return sendJson(res, 405, refusalAnswer(s.profile, { code: 405, message: '只接受 POST 请求' }, s.now()), { allow: 'POST' });

    const body = await readBody(req);
    bump(s.calls, route.id);
    const fault = s.faults.next(route.kind);
    if (fault === '5xx') {
      const status = s.faults.status5xx();
      res.writeHead(status, { 'content-type': 'text/html' });
      res.end(GATEWAY_BODY[status]);
      return;
    }
    // A platform that never answers: the client cannot know whether anything was stored.
    if (fault === 'timeout') return later(s.faults.current.hangMs, () => req.socket.destroy());

    const answer = answerCall(s, route, body);
    // Stored, but the answer is lost on the way back: the case that makes a naive client resend.
    if (fault === 'drop-after-store') return void req.socket.destroy();
    if (fault === 'slow') return later(s.faults.current.slowMs, () => sendJson(res, 200, answer));
    sendJson(res, 200, answer);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      console.error('NHSA sandbox: internal error', err);
      if (!res.headersSent) sendJson(res, 500, { error: 'sandbox internal error' });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
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
