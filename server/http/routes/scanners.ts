import { Router } from 'express';
import { bindScannerBody } from '../../contract/http.js';
import type { ScannerService } from '../../services/scanner.service.js';
import { parseOr400 } from '../../validate.js';

export function scannersRouter(scanners: ScannerService): Router {
  const r = Router();
  r.get('/', (_req, res) => void res.json(scanners.list()));
  r.post('/', async (req, res) => void res.status(201).json(await scanners.bind(parseOr400(bindScannerBody, req.body))));
  return r;
}

export function devicesRouter(scanners: ScannerService): Router {
  const r = Router();
  r.get('/', async (_req, res) => void res.json(await scanners.devices()));
  return r;
}
