import { mulberry32 } from '../nhsa/faults.js';
import { faultPatchSchema, forcedFaultsSchema } from './schemas.js';
import { FAULT_KINDS, type FaultConfig, type FaultKind } from './types.js';

/** Long enough for a client's own timeout to fire first; tests set a few hundred ms. */
const DEFAULTS: FaultConfig = { rate: 0, kinds: [...FAULT_KINDS], slowMs: 1_500, hangMs: 20_000, applyToTokens: false };

/** Which calls fail and how; seeded, so a fault run can be replayed from its seed. */
export class FaultPlan {
  private config: FaultConfig = { ...DEFAULTS, kinds: [...DEFAULTS.kinds] };
  private forced: FaultKind[] = [];
  private rng: () => number = Math.random;
  readonly counts = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;

  /** Throws a ZodError on bad input; a new seed restarts the sequence. */
  set(patch: unknown): FaultConfig {
    const p = faultPatchSchema.parse(patch);
    this.config = { ...this.config, ...p, kinds: p.kinds ? [...p.kinds] : this.config.kinds };
    if (p.seed !== undefined) this.rng = mulberry32(p.seed);
    return this.current;
  }

  force(kinds: unknown): void {
    this.forced.push(...forcedFaultsSchema.parse(kinds));
  }

  get current(): FaultConfig {
    return { ...this.config, kinds: [...this.config.kinds] };
  }

  /** The fault for this call, if any. Forced faults are spent by saveSaleData calls only. */
  next(call: 'save' | 'token'): FaultKind | null {
    let kind: FaultKind | null = null;
    if (call === 'save') kind = this.forced.shift() ?? null;
    else if (!this.config.applyToTokens) return null;
    if (!kind && this.config.rate > 0 && this.config.kinds.length && this.rng() < this.config.rate) {
      kind = this.config.kinds[Math.floor(this.rng() * this.config.kinds.length)] ?? null;
      // A token call can only fail in transport.
      if (call === 'token' && kind !== '5xx' && kind !== 'timeout' && kind !== 'slow') kind = null;
    }
    if (kind) this.counts[kind]++;
    return kind;
  }

  /** Mostly 500; gateways in front of the platform also answer 502 and 503. */
  status5xx(): number {
    const r = this.rng();
    return r < 0.6 ? 500 : r < 0.8 ? 502 : 503;
  }
}
