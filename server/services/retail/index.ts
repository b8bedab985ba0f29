import type { Knex } from 'knex';
import type { Accounts } from '../accounts.js';
import { createDockRepos } from '../dock/repos.js';
import type { GansuUploads } from '../gansu-uploads/index.js';
import { BlindIndex } from '../../security/field-crypto.js';
import { BuyerData } from './buyer-data.js';
import { RetailScanDecider } from './retail-scans.js';
import { RuleSets } from './rule-sets.js';
import { SalesService } from './sales.service.js';
import { RegisterService } from './register.service.js';

/** The retail counter (issue 7): sales with buyer and prescription, the rule table, the register. */
export interface Retail {
  knex: Knex;
  sales: SalesService;
  ruleSets: RuleSets;
  register: RegisterService;
  /** Scans at a retail station feed its open sale (plugged into the scan service). */
  scans: RetailScanDecider;
  /** The Gansu outbox's monitor and fix-and-resend, for the upload monitor page. */
  gansu: Pick<GansuUploads, 'monitor' | 'resend'> | undefined;
}

export function createRetail(d: { knex: Knex; accounts: Accounts; dataDir: string; now?: () => number; gansu?: GansuUploads }): Retail {
  const now = d.now ?? Date.now;
  const ruleSets = new RuleSets(d.knex);
  const buyers = new BuyerData(d.accounts.cipher, new BlindIndex(d.accounts.key.key));
  const dock = createDockRepos();
  const sales = new SalesService({
    knex: d.knex,
    dock,
    units: d.accounts.repos.units,
    ruleSets,
    buyers,
    cipher: d.accounts.cipher,
    photoKey: d.accounts.key.key.derive('blob-encryption'),
    dataDir: d.dataDir,
    now,
    wake: d.gansu ? () => d.gansu!.worker.wake() : undefined,
  });
  return { knex: d.knex, sales, ruleSets, register: new RegisterService(d.knex, d.accounts.cipher, d.accounts.auth, d.accounts.audit), scans: new RetailScanDecider(dock), gansu: d.gansu };
}
