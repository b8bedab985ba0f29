import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONTROL_PREFIX, handleControl } from '../common/control.js';
import { sendGatewayError } from '../common/gateway.js';
import { listen as listenOn, type Later, type Listening } from '../common/listen.js';
import { refusalAnswer } from './answers.js';
import { answerCall } from './calls.js';
import { controlTarget } from './control.js';
import { readBody, sendJson } from './http.js';
import { bump, type SandboxState } from './state.js';

export type { Listening } from '../common/listen.js';

export async function listen(s: SandboxState, host: string, port: number): Promise<Listening> {
  const control = controlTarget(s);

  async function handle(req: IncomingMessage, res: ServerResponse, later: Later): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (url.pathname.startsWith(CONTROL_PREFIX)) return handleControl(control, req, res, url);
    const route = s.routes.get(url.pathname);
    if (!route) return sendJson(res, 404, refusalAnswer(s.profile, { code: 404, message: `接口不存在：${url.pathname}` }, s.now()));
    if (req.method !== 'POST') return sendJson(res, 405, refusalAnswer(s.profile, { code: 405, message: '只接受 POST 请求' }, s.now()), { allow: 'POST' });

    const body = await readBody(req);
    bump(s.calls, route.id);
    const fault = s.faults.next(route.kind);
    if (fault === '5xx') return sendGatewayError(res, s.faults.status5xx());
    // A platform that never answers: the client cannot know whether anything was stored.
    if (fault === 'timeout') return later(s.faults.current.hangMs, () => req.socket.destroy());

    const answer = answerCall(s, route, body);
    // Stored, but the answer is lost on the way back: the case that makes a naive client resend.
    if (fault === 'drop-after-store') return void req.socket.destroy();
    if (fault === 'slow') return later(s.faults.current.slowMs, () => sendJson(res, 200, answer));
    sendJson(res, 200, answer);
  }

  return listenOn({ host, port, name: 'NHSA sandbox', internalErrorBody: { error: 'sandbox internal error' } }, handle);
}
