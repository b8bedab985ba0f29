import { Router } from 'express';
import type { ScansRepository } from '../../../db/repositories/scans.repository.js';
import { idParam, scansQuery, undoScanBody } from '../../contract/http.js';
import type { ScanService } from '../../services/scan.service.js';
import type { StationAccess } from '../../services/station-access.js';
import { ctxOf } from '../guard.js';
import { AppError } from '../../services/app-error.js';
import { toScanView } from '../../views.js';
import { parseOr400 } from '../../validate.js';

export function scansRouter(scans: ScansRepository, service: ScanService, access: StationAccess): Router {
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
  r.post('/:id/undo', async (req, res) => {
    const id = parseOr400(idParam, req.params.id);
    const { reason } = parseOr400(undoScanBody, req.body);
    const row = await scans.get(id);
    if (!row) throw new AppError('SCAN_NOT_FOUND', 404);
    const actor = await access.actorFor(ctxOf(res), row.stationId);
    res.json(await service.undo({ stationId: row.stationId, scanId: id, reason, source: 'http', actor }));
  });
  return r;
}
