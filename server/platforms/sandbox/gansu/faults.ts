import { FaultPlan as CommonFaultPlan } from '../common/fault-plan.js';
import { faultPatchSchema, forcedFaultsSchema } from './schemas.js';
import { FAULT_KINDS, type FaultConfig, type FaultKind } from './types.js';

/** Long enough for a client's own timeout to fire first; tests set a few hundred ms. */
const DEFAULTS: FaultConfig = { rate: 0, kinds: [...FAULT_KINDS], slowMs: 1_500, hangMs: 20_000, applyToTokens: false };

/** A token call can only fail in transport: the other kinds are answers to saveSaleData. */
const TOKEN_FAULTS: ReadonlySet<FaultKind> = new Set(['5xx', 'timeout', 'slow']);

export class FaultPlan extends CommonFaultPlan<FaultKind, FaultConfig> {
  constructor() {
    super(FAULT_KINDS, DEFAULTS, faultPatchSchema, forcedFaultsSchema);
  }

  /** The fault for this call, if any. Forced faults are spent by saveSaleData calls only. */
  next(call: 'save' | 'token'): FaultKind | null {
    if (call === 'save') return this.draw(true);
    if (!this.config.applyToTokens) return null;
    return this.draw(false, (kind) => TOKEN_FAULTS.has(kind));
  }
}
