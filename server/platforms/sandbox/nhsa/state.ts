import type { NhsaProfile } from '../../nhsa/profile.schema.js';
import type { FaultPlan } from './faults.js';
import type { Route } from './routes.js';
import type { SandboxStore } from './store.js';
import type { SandboxAccount, SandboxStats } from './types.js';

export interface SandboxState {
  profile: NhsaProfile;
  routes: Map<string, Route>;
  accounts: Map<string, SandboxAccount>;
  store: SandboxStore;
  faults: FaultPlan;
  /** By operation id. */
  calls: Record<string, number>;
  /** By answer code. */
  refusals: Record<string, number>;
  toleranceSeconds: number;
  now: () => number;
}

export const bump = (counter: Record<string, number>, key: string | number): void => {
  counter[key] = (counter[key] ?? 0) + 1;
};

export const statsOf = (s: SandboxState): SandboxStats => ({
  calls: { ...s.calls },
  faults: { ...s.faults.counts },
  refusals: { ...s.refusals },
  stored: s.store.size,
});
