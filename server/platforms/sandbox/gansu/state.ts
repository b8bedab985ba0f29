import type { FaultPlan } from './faults.js';
import type { SandboxKeys } from './keys.js';
import type { SaleStore } from './store.js';
import type { GansuSandboxAccount, GansuSandboxStats, SaveCall } from './types.js';

export interface TokenState {
  loginId: string;
  issuedAt: number;
  spent: boolean;
}

export interface GansuState {
  accounts: Map<string, GansuSandboxAccount>;
  tokens: Map<string, TokenState>;
  /** loginId → arrival of the last saveSaleData call that passed the rate check. */
  lastStart: Map<string, number>;
  store: SaleStore;
  faults: FaultPlan;
  keys: SandboxKeys;
  calls: SaveCall[];
  saveCalls: number;
  /** saveSaleData answers by code. */
  codes: Record<string, number>;
  tokenStats: { issued: number; refused: number };
  rateLimitMs: number;
  tokenTtlMs: number | undefined;
  passwordPadding: 'pkcs1' | 'oaep';
  /** 'body': HTTP 200 with the code in the body; 'mirror': the HTTP status is the code too. */
  statusMode: 'body' | 'mirror';
  now: () => number;
}

/** The calls log keeps the latest this many. */
export const MAX_CALLS_KEPT = 100_000;

export function noteCall(s: GansuState, call: SaveCall): void {
  s.saveCalls++;
  s.calls.push(call);
  if (s.calls.length > MAX_CALLS_KEPT) s.calls.splice(0, s.calls.length - MAX_CALLS_KEPT);
  if (call.code !== null) s.codes[call.code] = (s.codes[call.code] ?? 0) + 1;
}

export const statsOf = (s: GansuState): GansuSandboxStats => ({
  tokens: { ...s.tokenStats },
  saveCalls: s.saveCalls,
  codes: { ...s.codes },
  faults: { ...s.faults.counts },
  stored: s.store.size,
});
