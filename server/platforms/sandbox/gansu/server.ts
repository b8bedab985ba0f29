import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GANSU_PATHS } from '../../gansu/client.js';
import { replies, type GansuReply } from './answers.js';
import { CONTROL_PREFIX, handleControl } from './control.js';
import { readBody, sendJson } from './http.js';
import { answerSave } from './sales.js';
import { noteCall, type GansuState } from './state.js';
import { answerToken } from './token.js';
import type { SaveCall } from './types.js';

export interface Listening {
  url: string;
  close(): Promise<void>;
}

const GATEWAY_BODY: Record<number, string> = {
  500: '<html><body><h1>500 Internal Server Error</h1></body></html>',
  502: '<html><body><h1>502 Bad Gateway</h1></body></html>',
  503: '<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>',
};

const header = (req: IncomingMessage, name: string): string => {
  const v = req.headers[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? v.join(',') : '';
};

function countRows(bodyText: string | null): number | null {
  if (bodyText === null) return null;
  try {
    const body: unknown = JSON.parse(bodyText);
    return Array.isArray(body) ? body.length : null;
  } catch {
    return null;
  }
}

export async function listen(s: GansuState, host: string, port: number): Promise<Listening> {
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  /** The guide's codes in the body; with statusMode 'mirror' in the HTTP status as well. */
  const reply = (res: ServerResponse, r: GansuReply) => sendJson(res, s.statusMode === 'mirror' ? r.code : 200, r);
  const gateway = (res: ServerResponse, status: number) => {
    res.writeHead(status, { 'content-type': 'text/html' });
    res.end(GATEWAY_BODY[status]);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (url.pathname.startsWith(CONTROL_PREFIX)) return handleControl(s, req, res, url);
    const isToken = url.pathname === GANSU_PATHS.token;
    const isSave = url.pathname === GANSU_PATHS.save;
    if (!isToken && !isSave) {
      // A path under the platform's prefixes is an interface it lacks; anything else a bad path.
      const r = /^\/(api|token)\//.test(url.pathname) ? replies.notFound(url.pathname) : replies.badPath(url.pathname);
      return sendJson(res, r.code, r);
    }
    if (req.method !== 'POST') return sendJson(res, 406, replies.wrongMethod(), { allow: 'POST' });

    if (isToken) {
      await readBody(req, 1 << 16);
      const fault = s.faults.next('token');
      if (fault === '5xx') return gateway(res, s.faults.status5xx());
      if (fault === 'timeout') return later(s.faults.current.hangMs, () => req.socket.destroy());
      const r = answerToken(s, url.searchParams);
      if (fault === 'slow') return later(s.faults.current.slowMs, () => reply(res, r));
      return reply(res, r);
    }

    const token = header(req, 'authorization');
    const appKey = header(req, 'appkey');
    const bodyText = await readBody(req);
    const call: SaveCall = { at: s.now(), loginId: s.tokens.get(token)?.loginId ?? null, token, appKey, rowCount: null, code: null, fault: s.faults.next('save') };
    switch (call.fault) {
      case '5xx': {
        call.code = s.faults.status5xx();
        call.rowCount = countRows(bodyText);
        noteCall(s, call);
        return gateway(res, call.code);
      }
      // A platform that never answers: the client cannot know whether anything was stored.
      case 'timeout':
        call.rowCount = countRows(bodyText);
        noteCall(s, call);
        return later(s.faults.current.hangMs, () => req.socket.destroy());
      // Refusals that store nothing and leave the token as it was.
      case '402':
      case '453': {
        const r = call.fault === '402' ? replies.tokenInvalid() : replies.tooFast();
        call.code = r.code;
        call.rowCount = countRows(bodyText);
        noteCall(s, call);
        return reply(res, r);
      }
      default:
        break;
    }
    const result = answerSave(s, { token, appKey, bodyText });
    call.loginId = result.loginId;
    call.rowCount = result.rowCount ?? countRows(bodyText);
    call.code = result.reply.code;
    noteCall(s, call);
    // Stored and the token spent, but the answer is lost on the way back.
    if (call.fault === 'drop-after-store') return void req.socket.destroy();
    if (call.fault === 'slow') return later(s.faults.current.slowMs, () => reply(res, result.reply));
    reply(res, result.reply);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      console.error('Gansu sandbox: internal error', err);
      if (!res.headersSent) sendJson(res, 500, { code: 500, msg: '服务器异常' });
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
