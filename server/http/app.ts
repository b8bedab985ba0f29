import fs from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { ScansRepository } from '../../db/repositories/scans.repository.js';
import type { HealthView } from '../contract/views.js';
import type { ScannerService } from '../services/scanner.service.js';
import type { ScanService } from '../services/scan.service.js';
import type { StationService } from '../services/station.service.js';
import type { Logger } from '../logger.js';
import { errorHandler, notFound } from './errors.js';
import { scansRouter } from './routes/scans.js';
import { devicesRouter, scannersRouter } from './routes/scanners.js';
import { stationsRouter } from './routes/stations.js';

export interface HttpDeps {
  stations: StationService;
  scans: ScanService;
  scanners: ScannerService;
  scansRepo: ScansRepository;
  health: () => HealthView;
  uiDir: string;
  log: Logger;
  /** Served over HTTPS: HSTS and upgrade-insecure-requests only make sense then. */
  tls: boolean;
}

export function createHttpApp(d: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: d.tls ? [] : null } },
      strictTransportSecurity: d.tls,
    }),
  );
  app.use(express.json({ limit: '256kb' }));

  const api = express.Router();
  api.get('/health', (_req, res) => void res.json(d.health()));
  api.use('/stations', stationsRouter(d.stations, d.scans));
  api.use('/scans', scansRouter(d.scansRepo, d.scans));
  api.use('/scanners', scannersRouter(d.scanners));
  api.use('/devices', devicesRouter(d.scanners));
  api.use(notFound);
  app.use('/api', api);

  if (fs.existsSync(path.join(d.uiDir, 'index.html'))) {
    app.use(express.static(d.uiDir, { index: 'index.html', maxAge: '1h' }));
    // The UI routes by hash, but a reload on /station/3 should still land on the app.
    app.get(/^\/(?!api\/|socket\.io\/).*/, (_req, res) => res.sendFile(path.join(d.uiDir, 'index.html')));
  } else {
    app.get('/', (_req, res) => void res.status(503).type('text/plain').send('UI not built: run `npm run build:ui` (npm start does it).'));
  }
  app.use(errorHandler(d.log));
  return app;
}
