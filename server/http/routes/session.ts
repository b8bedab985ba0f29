import { Router } from 'express';
import type { DomainEventBus } from '../../events.js';
import type { AuthService } from '../../services/auth.service.js';
import { authenticated, ctxOf } from '../guard.js';
import { loginRateLimit } from '../login-rate-limit.js';
import { clearSessionCookie, setSessionCookie, tokenOf } from '../session-cookie.js';

/** Login, the caller's session, unit choice, own password, logout (NHSA guide: 单位登录 / 经办人). */
export function sessionRouter(auth: AuthService, bus: DomainEventBus, secureCookie: boolean): Router {
  const r = Router();
  r.post('/', loginRateLimit(), async (req, res) => {
    const { token, session } = await auth.login(req.body, { ip: req.ip });
    setSessionCookie(res, token, session.expiresAt, secureCookie);
    res.json(session);
  });
  r.delete('/', async (req, res) => {
    const ctx = await auth.authenticate(tokenOf(req)).catch(() => undefined);
    await auth.logout(tokenOf(req));
    clearSessionCookie(res, secureCookie);
    if (ctx) bus.emit('session.ended', ctx.sessionId);
    res.status(204).end();
  });
  r.use(authenticated(auth));
  r.get('/', async (_req, res) => void res.json(await auth.view(ctxOf(res))));
  r.post('/unit', async (req, res) => void res.json(await auth.chooseUnit(ctxOf(res), req.body)));
  r.post('/password', async (req, res) => {
    await auth.changePassword(ctxOf(res), req.body);
    res.status(204).end();
  });
  return r;
}
