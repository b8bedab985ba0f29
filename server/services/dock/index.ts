import type { Knex } from 'knex';
import type { Accounts } from '../accounts.js';
import type { DomainEventBus } from '../../events.js';
import { createMasterData, type MasterData } from '../master-data/index.js';
import { RelationService } from '../relations/index.js';
import type { StationKind } from '../../contract/views.js';
import type { Logger } from '../../logger.js';
import type { DockScanHook } from '../scan.service.js';
import { CodesService } from './codes.service.js';
import { DOCK_KINDS, DockScanDecider } from './dock-scans.js';
import { DocumentsService } from './documents.service.js';
import { MappingsService } from './mappings.service.js';
import { ProgressNotifier } from './progress-notifier.js';
import { createDockRepos } from './repos.js';
import { StationContextService } from './station-context.service.js';
import { undoDockScan } from './undo-scan.js';
import type { OutboxEnqueuer } from '../uploads/enqueuer.js';

/** Dock services (issue 5), wired once by the composition root. Each area adds its service here. */
export interface Dock {
  knex: Knex;
  masterData: MasterData;
  relations: RelationService;
  documents: DocumentsService;
  contexts: StationContextService;
  codes: CodesService;
  mappings: MappingsService;
  /** Plugged into the scan service: receiving, dispatch and aggregation decisions and their undo. */
  scanHook: DockScanHook;
  /** Sends the station's screen a fresh context (after a change outside a scan). */
  notify(stationId: number): void;
  close(): Promise<void>;
  dataDir: string;
}

export interface DockDeps {
  knex: Knex;
  accounts: Accounts;
  bus: DomainEventBus;
  dataDir: string;
  now?: () => number;
  log: Logger;
  /** Station kind (cached by StationService). */
  kindOf: (stationId: number) => Promise<StationKind | undefined>;
  /** Platform uploads owed by completed documents are written in the completion's transaction. */
  outbox?: OutboxEnqueuer;
}

export function createDock(d: DockDeps): Dock {
  const repos = createDockRepos();
  const now = d.now ?? Date.now;
  const documents = new DocumentsService(d.knex, repos, d.accounts.repos.units, now, d.outbox);
  const contexts = new StationContextService(d.knex, repos, documents, now);
  const decider = new DockScanDecider(repos);
  const notifier = new ProgressNotifier(d.bus, contexts, async (id) => DOCK_KINDS.has((await d.kindOf(id)) ?? 'query'), d.log);
  return {
    documents,
    contexts,
    codes: new CodesService(d.knex, repos),
    mappings: new MappingsService(d.knex, repos, now),
    notify: (id) => notifier.touch(id),
    close: () => notifier.close(),
    dataDir: d.dataDir,
    scanHook: { decide: (trx, s) => decider.decide(trx, s), undo: (trx, scan, actor, reason) => undoDockScan(trx, repos, scan, actor, reason) },
    knex: d.knex,
    masterData: createMasterData({ knex: d.knex, auth: d.accounts.auth, dataDir: d.dataDir, now: d.now, outbox: d.outbox }),
    relations: new RelationService({ knex: d.knex, dataDir: d.dataDir, now: d.now, outbox: d.outbox }),
  };
}
