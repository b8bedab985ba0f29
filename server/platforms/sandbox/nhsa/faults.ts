import { FaultPlan as CommonFaultPlan } from '../common/fault-plan.js';
import { faultPatchSchema, forcedFaultsSchema } from './schemas.js';
import { FAULT_KINDS, type FaultConfig, type FaultKind } from './types.js';

/** Long enough for a client's own timeout to fire first; tests set a few hundred ms. */
const DEFAULTS: FaultConfig = { rate: 0, kinds: [...FAULT_KINDS], slowMs: 1_500, hangMs: 20_000, applyToQueries: false };

export class FaultPlan extends CommonFaultPlan<FaultKind, FaultConfig> {
  constructor() {
    super(FAULT_KINDS, DEFAULTS, faultPatchSchema, forcedFaultsSchema);
  }

  /** The fault for this call, if any. Forced faults are spent only by calls that faults apply to. */
  next(call: 'upload' | 'query'): FaultKind | null {
    if (call === 'query' && !this.config.applyToQueries) return null;
    return this.draw(true);
  }
}
