import http from 'node:http';
import type { Express } from 'express';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDb, type Db } from '../db/connection.js';
import { ScannersRepository } from '../db/repositories/scanners.repository.js';
import { ScansRepository } from '../db/repositories/scans.repository.js';
import { StationsRepository } from '../db/repositories/stations.repository.js';
import { createDriverFactory, type DriverFactory } from '../drivers/factory.js';
import type { HidBackend } from '../drivers/hid/backend.js';
import { ScannerSupervisor, type BackoffPolicy } from '../drivers/supervisor.js';
import { describeConfig, type Config } from './config.js';
import type { HealthView } from './contract/views.js';
import { DomainEventBus } from './events.js';
import { createHttpApp } from './http/app.js';
import { createLogger, type Logger } from './logger.js';
import { loadTls } from './network/tls.js';
import { createAccounts, type Accounts } from './services/accounts.js';
import { createDock, type Dock } from './services/dock/index.js';
import { createUploads, type Uploads } from './services/uploads/index.js';
import { createRetail, type Retail } from './services/retail/index.js';
import { RecallService } from './services/recall/index.js';
import { withRetailScans } from './services/retail/retail-scans.js';
import { createSupervisor, type Supervisor } from './services/supervisor/index.js';
import { createExports, type Exports } from './services/exports/index.js';
import { DashboardService } from './services/dashboard/dashboard.service.js';
import { createGansuUploads, type GansuUploads } from './services/gansu-uploads/index.js';
import type { WorkerOptions } from './services/uploads/worker.js';
import type { RunnerOptions } from './services/exports/runner.js';
import type { BootstrapResult } from './services/auth.service.js';
import { ScanSpool } from './services/scan-spool.js';
import { StationAccess, StationPresence } from './services/station-access.js';
import { ScanService, type Classifier } from './services/scan.service.js';
import { ScannerService } from './services/scanner.service.js';
import { StationService } from './services/station.service.js';
import { attachSocket, type TypedServer } from './socket/io.js';
import { toScannerStatusView } from './views.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_UI_DIR = path.resolve(here, '../ui/dist');
const VERSION = '0.1.0';

/** Test and benchmark seams; production passes none of them. */
export interface WorkstationOverrides {
  logger?: Logger;
  hidBackend?: HidBackend;
  driverFactory?: DriverFactory;
  backoff?: BackoffPolicy;
  uiDir?: string;
  classify?: Classifier;
  uploadWorker?: Partial<WorkerOptions>;
  exports?: Partial<RunnerOptions>;
}

export interface Workstation {
  url: string;
  config: Config;
  db: Db;
  bus: DomainEventBus;
  io: TypedServer;
  app: Express;
  services: { scans: ScanService; stations: StationService; scanners: ScannerService };
  accounts: Accounts;
  dock: Dock;
  uploads: Uploads;
  retail: Retail;
  gansu: GansuUploads;
  /** The supervisor's reads: timelines and code queries (issue 8). */
  codeReads: Supervisor;
  exports: Exports;
  /** What start-up did about the `admin` account (a generated password is printed once by main). */
  bootstrap: BootstrapResult;
  presence: StationPresence;
  repos: { scans: ScansRepository; stations: StationsRepository; scanners: ScannersRepository };
  supervisor: ScannerSupervisor;
  stop(): Promise<void>;
}

/** The composition root: wires db → repositories → services → transports, and starts listening. */
export async function startWorkstation(config: Config, o: WorkstationOverrides = {}): Promise<Workstation> {
  const log = o.logger ?? createLogger(config.logLevel);
  const db = await openDb({ dataDir: config.dataDir, url: config.dbUrl });
  let accounts: Accounts;
  try {
    // Refuses (KeyFileError) when the key file that encrypted this database is missing or different.
    accounts = await createAccounts(db, config.dataDir);
  } catch (err) {
    await db.close();
    throw err;
  }
  const bootstrap = await accounts.auth.bootstrap(config.adminPassword);
  const repos = { scans: new ScansRepository(db.knex), stations: new StationsRepository(db.knex), scanners: new ScannersRepository(db.knex) };
  const bus = new DomainEventBus();
  const supervisor = new ScannerSupervisor(o.driverFactory ?? createDriverFactory({ hidBackend: o.hidBackend }), log, o.backoff);
  const stations = new StationService(repos.stations, repos.scans, supervisor);
  const scans = new ScanService(db.knex, repos.scans, (id) => stations.kindOf(id), bus, new ScanSpool(config.dataDir), log, o.classify);
  const scanners = new ScannerService(repos.scanners, repos.stations, supervisor, o.hidBackend);
  const access = new StationAccess(accounts.auth, stations);
  let uploads: Uploads;
  try {
    uploads = await createUploads({ knex: db.knex, config, units: accounts.units, bus, log, worker: o.uploadWorker });
  } catch (err) {
    await db.close();
    throw err;
  }
  const dock = createDock({ knex: db.knex, accounts, bus, dataDir: config.dataDir, log, kindOf: (id) => stations.kindOf(id), outbox: uploads.enqueuer });
  const gansu = await createGansuUploads({ knex: db.knex, config, accounts, log, changed: () => bus.emit('uploads.changed') });
  const retail = createRetail({ knex: db.knex, accounts, dataDir: config.dataDir, gansu });
  // Retail stations' scans feed their open sale; the other kinds go to the dock rules.
  scans.useDock(withRetailScans(dock.scanHook, retail.scans));
  const presence = new StationPresence();
  const codeReads = createSupervisor({ knex: db.knex });
  const exportJobs = createExports({ knex: db.knex, dataDir: config.dataDir, bus, log, options: { retentionMs: config.exports.retentionMs, ...o.exports } });

  supervisor.on('status', (s) => bus.emit('scanner.status', toScannerStatusView(s)));
  // A worker watching the scanner, not the screen, still hears that this scan was not taken.
  bus.on('scan.rejected', (s) => void supervisor.signalError(s.deviceId));
  bus.on('scan.recorded', (s) => void (s.decision === 'duplicate' && supervisor.signalError(s.deviceId)));
  supervisor.on('scan', (s) => {
    scans
      .submit({ ...s, source: s.transport, actor: presence.current(s.stationId) })
      .catch((err: Error) => log.warn({ err: err.message, deviceId: s.deviceId }, 'hardware scan not recorded'));
  });

  const startedAt = Date.now();
  const describe = describeConfig(config);
  const health = (): HealthView => ({
    status: 'ok',
    version: VERSION,
    uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    database: db.dialect,
    platforms: { nhsa: describe.nhsa as 'sandbox' | 'configured', gansu: describe.gansu as 'sandbox' | 'configured' },
  });

  const tls = await loadTls(config.tls, config.dataDir);
  const app = createHttpApp({ stations, scans, scanners, scansRepo: repos.scans, health, uiDir: o.uiDir ?? DEFAULT_UI_DIR, log, tls: !!tls, accounts, access, bus, dock, uploads, retail, recall: new RecallService(db.knex), supervisor: codeReads, exports: exportJobs, dashboard: new DashboardService(db.knex) });
  const server = tls ? https.createServer({ cert: tls.cert, key: tls.key }, app) : http.createServer(app);
  const io = attachSocket(server, { auth: accounts.auth, stationLock: accounts.stationLock, grants: accounts.repos.grants, access, presence, stations, scans, scanners, bus, log, notifyContext: (id) => dock.notify(id), uploadSummary: (unitId) => uploads.monitor.summary(unitId), exportList: (unitId) => exportJobs.service.list(unitId) });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  await scanners.restore();
  await uploads.start();
  await gansu.start();
  await exportJobs.start();

  // Ended sessions are kept a day for the audit trail's sake, then dropped.
  const purge = setInterval(() => void accounts.repos.sessions.purge(Date.now() - 86_400_000).catch(() => {}), 3_600_000);
  purge.unref();

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      clearInterval(purge);
      await supervisor.closeAll(); // no new hardware scans
      await scans.close(); // every queued scan committed
      await dock.close(); // screen refreshes finished
      await uploads.stop(); // calls in flight settled
      await gansu.stop();
      await exportJobs.stop(); // the file being written is finished
      io.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await db.close(); // WAL checkpoint
    })());

  return { url: `${tls ? 'https' : 'http'}://${host}:${port}`, config, db, bus, io, app, services: { scans, stations, scanners }, accounts, dock, uploads, retail, gansu, codeReads, exports: exportJobs, bootstrap, presence, repos, supervisor, stop };
}
