import { isLoopbackHost } from '../../../network/exposure.js';
import { sandboxControls } from '../common/handle.js';
import { controlTarget } from './control.js';
import { FaultPlan } from './faults.js';
import { sandboxKeys } from './keys.js';
import { accountSchema, optionsSchema } from './schemas.js';
import { listen } from './server.js';
import type { GansuState } from './state.js';
import { SaleStore } from './store.js';
import type { GansuSandbox, GansuSandboxAccount } from './types.js';

export type { FaultConfig, FaultKind, GansuSandbox, GansuSandboxAccount, GansuSandboxStats, GansuSandboxStore, SaleFilter, SaveCall, StoredSale } from './types.js';
export { FAULT_KINDS } from './types.js';
export { saleIdentity } from './store.js';
export { decryptPassword } from './keys.js';

export interface GansuSandboxOptions {
  accounts?: GansuSandboxAccount[];
  /** Loopback only (default 127.0.0.1). */
  host?: string;
  port?: number;
  /** Drives the 1 call/s limit, token expiry and the times recorded; tests pass a fake clock. */
  now?: () => number;
  /** JSON lines, appended on every store and loaded on start, so a restart keeps what was accepted. */
  storeFile?: string;
  /** Minimum gap between two saveSaleData calls of one account, start to start (default 1000 ms). */
  rateLimitMs?: number;
  /** Tokens unused this long are refused with 402 (default: they never expire — the guide says nothing). */
  tokenTtlMs?: number;
  /** How getToken's password is padded (default PKCS#1 v1.5). */
  passwordPadding?: 'pkcs1' | 'oaep';
  /** 'body' (default): HTTP 200 with the code in the body; 'mirror': the HTTP status carries the code too. */
  statusMode?: 'body' | 'mirror';
  /** PEM of an RSA private key to use instead of a fresh 2048-bit one. */
  privateKeyPem?: string;
}

/**
 * The strict local stand-in for the Gansu key-variety sales monitoring platform (DOMAIN.md §7,
 * DESIGN.md §4): RSA password, single-use tokens, 1 call/s per account, ≤ 10 000 rows, one appKey
 * per store, the row rules shared with the client (rows.ts), whole-call refusal on any bad row.
 */
export async function startGansuSandbox(o: GansuSandboxOptions = {}): Promise<GansuSandbox> {
  const opts = optionsSchema.parse({
    host: o.host,
    port: o.port,
    storeFile: o.storeFile,
    rateLimitMs: o.rateLimitMs,
    tokenTtlMs: o.tokenTtlMs,
    passwordPadding: o.passwordPadding,
    statusMode: o.statusMode,
    privateKeyPem: o.privateKeyPem,
  });
  if (!isLoopbackHost(opts.host)) throw new Error(`Gansu sandbox: host ${opts.host} is not a loopback address`);
  const store = new SaleStore(opts.storeFile);
  store.load();
  const keys = sandboxKeys(opts.privateKeyPem);
  const s: GansuState = {
    accounts: new Map(),
    tokens: new Map(),
    lastStart: new Map(),
    store,
    faults: new FaultPlan(),
    keys,
    calls: [],
    saveCalls: 0,
    codes: {},
    tokenStats: { issued: 0, refused: 0 },
    rateLimitMs: opts.rateLimitMs,
    tokenTtlMs: opts.tokenTtlMs,
    passwordPadding: opts.passwordPadding,
    statusMode: opts.statusMode,
    now: o.now ?? Date.now,
  };
  const addAccount = (a: GansuSandboxAccount) => {
    const account = accountSchema.parse(a);
    for (const st of account.stores) {
      for (const other of s.accounts.values()) {
        if (other.loginId !== account.loginId && other.stores.some((x) => x.appKey === st.appKey)) throw new Error(`Gansu sandbox: appKey ${st.appKey} already belongs to ${other.loginId}`);
      }
    }
    s.accounts.set(account.loginId, account);
  };
  for (const a of o.accounts ?? []) addAccount(a);
  const server = await listen(s, opts.host, opts.port);
  return {
    ...sandboxControls(server, addAccount, controlTarget(s)),
    publicKeyPem: keys.publicKeyPem,
    publicKeyBase64: keys.publicKeyBase64,
    privateKeyPemForTests: keys.privateKeyPem,
    calls: () => s.calls.map((c) => ({ ...c })),
  };
}
