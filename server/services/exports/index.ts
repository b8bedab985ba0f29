import path from 'node:path';
import type { Knex } from 'knex';
import type { DomainEventBus } from '../../events.js';
import type { Logger } from '../../logger.js';
import { ExportsService } from './exports.service.js';
import { ExportRunner, type RunnerOptions } from './runner.js';

export interface Exports {
  service: ExportsService;
  runner: ExportRunner;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Export jobs and their background writer; files live under `<data dir>/exports`. */
export function createExports(d: { knex: Knex; dataDir: string; bus: DomainEventBus; log: Logger; options: RunnerOptions }): Exports {
  let runner: ExportRunner | undefined;
  const service = new ExportsService(d.knex, path.join(d.dataDir, 'exports'), () => runner?.wake());
  runner = new ExportRunner(d.knex, service, d.bus, d.log, d.options);
  const r = runner;
  return { service, runner: r, start: () => r.start(), stop: () => r.stop() };
}
