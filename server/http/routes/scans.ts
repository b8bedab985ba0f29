import { Router } from 'express';
import type { ScansRepository } from '../../../db/repositories/scans.repository.js';
import { idParam, scansQuery } from '../../contract/http.js';
import { AppError } from '../../services/app-error.js';
import { toScanView } from '../../views.js';
import { parseOr400 } from '../../validate.js';

export function scansRouter(scans: ScansRepository): Router {
  const r = Router();
  r.get('/', async (req, res) => {
    const q = parseOr400(scansQuery, req.query);
    res.json((await scans.list(q)).map(toScanView));
  });
  r.get('/:id', async (req, res) => {
    const row = await scans.get(parseOr400(idParam, req.params.id));
    if (!row) throw new AppError('NOT_FOUND', 404);
    res.json(toScanView(row));
  });
  return r;
}
