import type { IncomingMessage, ServerResponse } from 'node:http';
import { GANSU_PATHS } from '../../gansu/client.js';
import { CONTROL_PREFIX, handleControl } from '../common/control.js';
import { sendGatewayError as gateway } from '../common/gateway.js';
import { listen as listenOn, type Later, type Listening } from '../common/listen.js';
import { replies, type GansuReply } from './answers.js';
import { controlTarget } from './control.js';
import { readBody, sendJson } from './http.js';
import { answerSave } from './sales.js';
import { noteCall, type GansuState } from './state.js';
import { answerToken } from './token.js';
import type { SaveCall } from './types.js';

export type { Listening } from '../common/listen.js';

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
  const control = controlTarget(s);
  /** The guide's codes in the body; with statusMode 'mirror' in the HTTP status as well. */
  const reply = (res: ServerResponse, r: GansuReply) => sendJson(res, s.statusMode === 'mirror' ? r.code : 200, r);

  async function handle(req: IncomingMessage, res: ServerResponse, later: Later): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (url.pathname.startsWith(CONTROL_PREFIX)) return handleControl(control, req, res, url);
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
    // A call is timed from its arrival, not from when its (up to 10 000-row) body was read.
    const arrivedAt = s.now();
    const bodyText = await readBody(req);
    const call: SaveCall = { at: arrivedAt, loginId: s.tokens.get(token)?.loginId ?? null, token, appKey, rowCount: null, code: null, fault: s.faults.next('save') };
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
    const result = answerSave(s, { token, appKey, bodyText, arrivedAt });
    call.loginId = result.loginId;
    call.rowCount = result.rowCount ?? countRows(bodyText);
    call.code = result.reply.code;
    noteCall(s, call);
    // Stored and the token spent, but the answer is lost on the way back.
    if (call.fault === 'drop-after-store') return void req.socket.destroy();
    if (call.fault === 'slow') return later(s.faults.current.slowMs, () => reply(res, result.reply));
    reply(res, result.reply);
  }

  return listenOn({ host, port, name: 'Gansu sandbox', internalErrorBody: { code: 500, msg: '服务器异常' } }, handle);
}
