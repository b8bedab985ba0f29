import { Router } from 'express';
import { auditQuery } from '../../contract/accounts.js';
import { idParam } from '../../contract/http.js';
import type { Accounts } from '../../services/accounts.js';
import { parseOr400 } from '../../validate.js';
import { ctxOf, workstationAdmin } from '../guard.js';

/** Units, operators, bindings, grants and the audit log (admin screens). Services check rights. */
export function accountsRouter(a: Accounts): Router {
  const r = Router();
  const id = (v: unknown) => parseOr400(idParam, v);

  r.get('/units', async (_req, res) => void res.json(await a.units.list(ctxOf(res))));
  r.post('/units', async (req, res) => void res.status(201).json(await a.units.create(ctxOf(res), req.body)));
  r.get('/units/:id', async (req, res) => void res.json(await a.units.get(ctxOf(res), id(req.params.id))));
  r.patch('/units/:id', async (req, res) => void res.json(await a.units.update(ctxOf(res), id(req.params.id), req.body)));
  r.put('/units/:id/credentials', async (req, res) => void res.json(await a.units.setCredentials(ctxOf(res), id(req.params.id), req.body)));
  r.get('/units/:id/grants', async (req, res) => void res.json(await a.operators.grants(ctxOf(res), id(req.params.id))));

  r.get('/operators', async (_req, res) => void res.json(await a.operators.list(ctxOf(res))));
  r.post('/operators', async (req, res) => void res.status(201).json(await a.operators.create(ctxOf(res), req.body)));
  r.get('/operators/:id', async (req, res) => void res.json(await a.operators.get(ctxOf(res), id(req.params.id))));
  r.patch('/operators/:id', async (req, res) => void res.json(await a.operators.update(ctxOf(res), id(req.params.id), req.body)));
  r.post('/operators/:id/password', async (req, res) => {
    await a.operators.resetPassword(ctxOf(res), id(req.params.id), req.body);
    res.status(204).end();
  });
  r.put('/operators/:id/station-credentials', async (req, res) => {
    await a.operators.setStationCredentials(ctxOf(res), id(req.params.id), req.body);
    res.status(204).end();
  });
  r.post('/operators/:id/reveal', async (req, res) => {
    const reason = typeof req.body?.reason === 'string' ? req.body.reason : '';
    res.json(await a.operators.revealPersonalData(ctxOf(res), id(req.params.id), reason));
  });

  r.post('/bindings', async (req, res) => void res.status(201).json(await a.operators.bind(ctxOf(res), req.body)));
  r.post('/bindings/remove', async (req, res) => {
    await a.operators.unbind(ctxOf(res), req.body);
    res.status(204).end();
  });
  r.post('/grants', async (req, res) => void res.status(201).json(await a.operators.grant(ctxOf(res), req.body)));
  r.post('/grants/revoke', async (req, res) => {
    await a.operators.revoke(ctxOf(res), req.body);
    res.status(204).end();
  });

  r.get('/audit', workstationAdmin(a.auth), async (req, res) => void res.json(await a.audit.list(parseOr400(auditQuery, req.query))));
  r.get('/audit/verify', workstationAdmin(a.auth), async (_req, res) => void res.json(await a.audit.verify()));
  return r;
}
