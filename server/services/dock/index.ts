import type { Knex } from 'knex';
import type { Accounts } from '../accounts.js';
import type { DomainEventBus } from '../../events.js';

/** Dock services (issue 5), wired once by the composition root. Each area adds its service here. */
export interface Dock {
  knex: Knex;
}

export interface DockDeps {
  knex: Knex;
  accounts: Accounts;
  bus: DomainEventBus;
  dataDir: string;
  now?: () => number;
}

export function createDock(d: DockDeps): Dock {
  return { knex: d.knex };
}
