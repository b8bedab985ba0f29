import type { Knex } from 'knex';
import path from 'node:path';
import type { Config } from '../../config.js';
import type { UploadSummaryView } from '../../contract/uploads.js';
import type { DomainEventBus } from '../../events.js';
import type { Logger } from '../../logger.js';
import { NhsaClient } from '../../platforms/nhsa/client.js';
import type { Credentials } from '../../platforms/nhsa/envelope.js';
import { loadNhsaProfile } from '../../platforms/nhsa/profile.js';
import type { NhsaSandbox } from '../../platforms/sandbox/nhsa/index.js';
import type { UnitsService } from '../units.service.js';
import { OutboxEnqueuer } from './enqueuer.js';
import { ManualExports } from './manual-export.js';
import { UploadMonitor } from './monitor.service.js';
import { reconcile } from './reconcile.js';
import { startEmbeddedSandbox } from './sandbox-target.js';
import { Throughput } from './throughput.js';
import { UploadWorker, type WorkerOptions } from './worker.js';

export interface UploadsDeps {
  knex: Knex;
  config: Config;
  units: UnitsService;
  bus: DomainEventBus;
  log: Logger;
  now?: () => number;
  worker?: Partial<WorkerOptions>;
}

export interface Uploads {
  enqueuer: OutboxEnqueuer;
  monitor: UploadMonitor;
  /** The portal's 网页上传: export pending records as import files, import its error reports. */
  manual: ManualExports;
  worker: UploadWorker;
  client: NhsaClient;
  target: UploadSummaryView['target'];
  /** The built-in sandbox when no platform URL is configured. */
  sandbox: NhsaSandbox | undefined;
  reconcile(by: { date: string } | { batch: string }, unitId?: number): ReturnType<typeof reconcile>;
  credentials(unitId: number): Promise<Credentials | null>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The NHSA outbox, wired once. The profile is loaded (and validated) before anything else so a
 * broken profile stops start-up instead of sending wrong fields to a national platform.
 */
export async function createUploads(d: UploadsDeps): Promise<Uploads> {
  const now = d.now ?? Date.now;
  const { profile, source } = d.config.nhsa.profileFile ? loadNhsaProfile(d.config.nhsa.profileFile) : loadNhsaProfile(path.join(d.config.dataDir, 'nhsa-profile.json'), { optional: true });
  let sandbox: NhsaSandbox | undefined;
  let fallback: Credentials | null = d.config.nhsa.ak && d.config.nhsa.sk ? { ak: d.config.nhsa.ak, sk: d.config.nhsa.sk } : null;
  let url = d.config.nhsa.url;
  if (!url) {
    const s = await startEmbeddedSandbox(d.config.dataDir, profile);
    sandbox = s.sandbox;
    url = s.sandbox.url;
    fallback = { ak: s.account.ak, sk: s.account.sk };
  }
  const target: UploadSummaryView['target'] = { platform: 'nhsa', mode: sandbox ? 'sandbox' : 'configured', url, profileVersion: profile.profileVersion, profileSource: source };
  const client = new NhsaClient({ baseUrl: url, profile, timeoutMs: d.config.uploads.timeoutMs, now });
  // In the sandbox every unit uploads with the sandbox's account; against the real platform each
  // unit uses its own keys, and the environment's keys serve units that have none.
  const credentials = async (unitId: number): Promise<Credentials | null> => {
    if (sandbox) return fallback;
    const c = await d.units.platformCredentials(unitId).catch(() => null);
    return c?.nhsa.ak && c.nhsa.sk ? { ak: c.nhsa.ak, sk: c.nhsa.sk } : fallback;
  };
  const throughput = new Throughput(now);
  const enqueuer = new OutboxEnqueuer(() => profile);
  let statusTimer: NodeJS.Timeout | undefined;
  const monitor = new UploadMonitor({ knex: d.knex, profile: () => profile, target: () => target, worker: () => worker, clockSkewMs: () => client.clockSkewMs, throughput, hasCredentials: async (id) => (await credentials(id)) !== null, now });
  // Coalesced: a draining backlog refreshes the monitors a few times a second, not per call.
  const changed = () => {
    statusTimer ??= setTimeout(() => {
      statusTimer = undefined;
      d.bus.emit('uploads.changed');
    }, 300);
  };
  const worker = new UploadWorker(
    { knex: d.knex, client, credentials, log: d.log, now, changed, accepted: (n) => throughput.add(n) },
    {
      concurrency: d.config.uploads.concurrency,
      unknownGraceMs: d.config.uploads.unknownGraceMs,
      resolveBatch: 50,
      backoff: { baseMs: d.config.uploads.backoffMs, maxMs: d.config.uploads.backoffMaxMs },
      idleMs: 5_000,
      ...d.worker,
    },
  );
  enqueuer.onWake(() => {
    worker.wake();
    changed();
  });
  const manual = new ManualExports({ knex: d.knex, profile: () => profile, tmpDir: path.join(d.config.dataDir, 'uploads', 'reports'), wake: () => enqueuer.wake(), now });
  return {
    enqueuer,
    monitor,
    manual,
    worker,
    client,
    target,
    sandbox,
    credentials,
    reconcile: async (by, unitId) => {
      const r = await reconcile({ knex: d.knex, client: () => client, credentials, now }, by, unitId);
      if (r.missing.length) enqueuer.wake();
      return r;
    },
    start: () => worker.start(),
    async stop() {
      await worker.stop();
      clearTimeout(statusTimer);
      await sandbox?.close();
    },
  };
}
