import { Router } from 'express';
import { dashboardQuery } from '../../contract/dashboard.js';
import type { AuthService } from '../../services/auth.service.js';
import type { DashboardService } from '../../services/dashboard/dashboard.service.js';
import { parseOr400 } from '../../validate.js';
import { ctxOf } from '../guard.js';

/** The supervisor's dashboard (issue 8 §5): the session unit's day, for holders of the query business. */
export function dashboardRouter(dashboard: DashboardService, auth: AuthService): Router {
  const r = Router();
  r.get('/dashboard', async (req, res) => {
    const { unitId } = await auth.authorize(ctxOf(res), 'query');
    const q = parseOr400(dashboardQuery, req.query);
    // Figures of a moving day: a cached answer would show a dock that has moved on.
    res.set('Cache-Control', 'no-store');
    res.json(await dashboard.view(unitId, q.date));
  });
  return r;
}
