import fs from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { ScansRepository } from '../../db/repositories/scans.repository.js';
import type { HealthView } from '../contract/views.js';
import type { Accounts } from '../services/accounts.js';
import type { Dock } from '../services/dock/index.js';
import type { DomainEventBus } from '../events.js';
import type { ScannerService } from '../services/scanner.service.js';
import type { StationAccess } from '../services/station-access.js';
import type { ScanService } from '../services/scan.service.js';
import type { StationService } from '../services/station.service.js';
import type { Logger } from '../logger.js';
import { errorHandler, notFound } from './errors.js';
import { authenticated, ready, sameOrigin } from './guard.js';
import { accountsRouter } from './routes/accounts.js';
import { dockRouter } from './routes/dock.js';
import { uploadsRouter } from './routes/uploads.js';
import { retailRouter } from './routes/retail.js';
import { recallRouter } from './routes/recall.js';
import type { RecallService } from '../services/recall/index.js';
import { supervisorRouter } from './routes/supervisor.js';
import type { Supervisor } from '../services/supervisor/index.js';
import type { Exports } from '../services/exports/index.js';
import { dashboardRouter } from './routes/dashboard.js';
import type { DashboardService } from '../services/dashboard/dashboard.service.js';
import type { Retail } from '../services/retail/index.js';
import type { Uploads } from '../services/uploads/index.js';
import { sessionRouter } from './routes/session.js';
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
  /** Served over HTTPS: HSTS, Secure cookies and upgrade-insecure-requests only make sense then. */
  tls: boolean;
  accounts: Accounts;
  access: StationAccess;
  bus: DomainEventBus;
  dock: Dock;
  uploads: Uploads;
  retail: Retail;
  recall: RecallService;
  supervisor: Supervisor;
  exports: Exports;
  dashboard: DashboardService;
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
  api.use(sameOrigin);
  // Public: health and login. Everything after `authenticated` needs a valid session cookie.
  api.get('/health', (_req, res) => void res.json(d.health()));
  api.use('/session', sessionRouter(d.accounts.auth, d.bus, d.tls));
  api.use(authenticated(d.accounts.auth));
  // Keys entered for a unit that had none: its waiting uploads start now, not at the next minute's look.
  api.put('/units/:id/credentials', (_req, res, next) => {
    res.on('finish', () => res.statusCode < 300 && d.uploads.worker.credentialsChanged());
    next();
  });
  api.use(accountsRouter(d.accounts));
  // Dock work: initial password changed and a unit chosen; routes add their business.
  api.use(ready);
  api.use('/stations', stationsRouter(d.stations, d.scans, d.access, d.accounts.auth));
  api.use('/scans', scansRouter(d.scansRepo, d.scans, d.access));
  api.use('/scanners', scannersRouter(d.scanners, d.accounts.auth));
  api.use('/devices', devicesRouter(d.scanners));
  api.use(uploadsRouter(d.uploads, d.accounts.auth));
  api.use(retailRouter(d.retail, d.accounts.auth));
  api.use(recallRouter(d.recall, d.accounts.auth));
  api.use(dashboardRouter(d.dashboard, d.accounts.auth));
  api.use(supervisorRouter(d.supervisor, d.exports, d.accounts.auth));
  api.use(dockRouter(d.dock, d.accounts.auth, d.stations));
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
