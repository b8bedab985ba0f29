import { isLoopbackHost } from '../../../network/exposure.js';
import type { NhsaProfile } from '../../nhsa/profile.schema.js';
import { sandboxControls } from '../common/handle.js';
import { controlTarget } from './control.js';
import { FaultPlan } from './faults.js';
import { routesOf } from './routes.js';
import { accountSchema, optionsSchema } from './schemas.js';
import { listen } from './server.js';
import type { SandboxState } from './state.js';
import { SandboxStore } from './store.js';
import type { NhsaSandbox, SandboxAccount } from './types.js';

export type { FaultConfig, FaultKind, NhsaSandbox, RowFilter, SandboxAccount, SandboxStats, StoredRow } from './types.js';
export { FAULT_KINDS } from './types.js';
export { identityOf } from './store.js';

export interface NhsaSandboxOptions {
  profile: NhsaProfile;
  accounts?: SandboxAccount[];
  /** Loopback only (default 127.0.0.1): the sandbox accepts anything a known ak signs. */
  host?: string;
  port?: number;
  /** Allowed clock difference in seconds (default 300). */
  toleranceSeconds?: number;
  now?: () => number;
  /** JSON lines, appended on every store and loaded on start, so a restart keeps what was accepted. */
  storeFile?: string;
}

/**
 * The strict local stand-in for the NHSA traceability platform (DESIGN.md §4), driven by the same
 * interface profile as the client, so a renamed profile needs no change here either.
 */
export async function startNhsaSandbox(o: NhsaSandboxOptions): Promise<NhsaSandbox> {
  const opts = optionsSchema.parse({ host: o.host, port: o.port, toleranceSeconds: o.toleranceSeconds, storeFile: o.storeFile });
  if (!isLoopbackHost(opts.host)) throw new Error(`NHSA sandbox: host ${opts.host} is not a loopback address`);
  const store = new SandboxStore(o.profile, opts.storeFile);
  store.load();
  const s: SandboxState = {
    profile: o.profile,
    routes: routesOf(o.profile),
    accounts: new Map(),
    store,
    faults: new FaultPlan(),
    calls: {},
    refusals: {},
    toleranceSeconds: opts.toleranceSeconds,
    now: o.now ?? Date.now,
  };
  const addAccount = (a: SandboxAccount) => {
    const account = accountSchema.parse(a);
    s.accounts.set(account.ak, account);
  };
  for (const a of o.accounts ?? []) addAccount(a);
  const server = await listen(s, opts.host, opts.port);
  return sandboxControls(server, addAccount, controlTarget(s));
}
