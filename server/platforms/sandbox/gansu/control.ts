import type { ControlTarget } from '../common/control.js';
import { faultControlSchema, saleFilterSchema } from './schemas.js';
import { statsOf, type GansuState } from './state.js';
import type { GansuSandboxStats, SaleFilter, StoredSale } from './types.js';

/** A fault configuration is a few hundred bytes; the 32 MiB a save may carry would be absurd here. */
const CONTROL_BODY_BYTES = 1 << 16;

/** The control endpoint lists only the latest calls, to keep its answer small; the programmatic calls() has them all. */
const CALLS_LISTED = 1000;

export function controlTarget(s: GansuState): ControlTarget<SaleFilter, StoredSale, GansuSandboxStats> {
  return {
    state: s,
    schemas: { faultControl: faultControlSchema, rowFilter: saleFilterSchema },
    bodyLimit: CONTROL_BODY_BYTES,
    stats: () => statsOf(s),
    calls: () => s.calls.slice(-CALLS_LISTED),
  };
}
