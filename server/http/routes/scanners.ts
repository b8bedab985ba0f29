import { Router } from 'express';
import { bindScannerBody } from '../../contract/http.js';
import type { AuthService } from '../../services/auth.service.js';
import type { ScannerService } from '../../services/scanner.service.js';
import { workstationAdmin } from '../guard.js';
import { parseOr400 } from '../../validate.js';

export function scannersRouter(scanners: ScannerService, auth: AuthService): Router {
  const r = Router();
  r.get('/', (_req, res) => void res.json(scanners.list()));
  r.post('/', workstationAdmin(auth), async (req, res) => void res.status(201).json(await scanners.bind(parseOr400(bindScannerBody, req.body))));
  return r;
}

export function devicesRouter(scanners: ScannerService): Router {
  const r = Router();
  r.get('/', async (_req, res) => void res.json(await scanners.devices()));
  return r;
}
