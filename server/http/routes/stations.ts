import { Router } from 'express';
import { createStationBody, idParam, postScanBody } from '../../contract/http.js';
import type { AuthService } from '../../services/auth.service.js';
import type { ScanService } from '../../services/scan.service.js';
import type { StationAccess } from '../../services/station-access.js';
import type { StationService } from '../../services/station.service.js';
import { ctxOf, workstationAdmin } from '../guard.js';
import { decodeUtf8 } from '../../../drivers/text.js';
import { parseOr400 } from '../../validate.js';

export function stationsRouter(stations: StationService, scans: ScanService, access: StationAccess, auth: AuthService): Router {
  const r = Router();
  r.get('/', async (_req, res) => void res.json(await stations.list()));
  r.post('/', workstationAdmin(auth), async (req, res) => void res.status(201).json(await stations.create(parseOr400(createStationBody, req.body))));
  r.get('/:id', async (req, res) => void res.json(await stations.require(parseOr400(idParam, req.params.id))));
  r.get('/:id/snapshot', async (req, res) => void res.json(await stations.snapshot(parseOr400(idParam, req.params.id))));

  // Keyboard-wedge input and automation: answers the decision, like a scanner would beep.
  r.post('/:id/scans', async (req, res) => {
    const stationId = parseOr400(idParam, req.params.id);
    const body = parseOr400(postScanBody, req.body);
    const actor = await access.actorFor(ctxOf(res), stationId);
    const bytes = body.rawBase64 !== undefined ? Buffer.from(body.rawBase64, 'base64') : Buffer.from(body.raw ?? '', 'utf8');
    const { text, validUtf8 } = decodeUtf8(bytes);
    const view = await scans.submit({
      actor,
      stationId,
      deviceId: body.source,
      source: body.source,
      bytes,
      text,
      validUtf8,
      receivedAt: Date.now(),
    });
    res.status(201).json(view);
  });
  return r;
}
