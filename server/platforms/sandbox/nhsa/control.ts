import type { ControlTarget } from '../common/control.js';
import { MAX_BODY_BYTES } from './http.js';
import { faultControlSchema, rowFilterSchema } from './schemas.js';
import { statsOf, type SandboxState } from './state.js';
import type { RowFilter, SandboxStats, StoredRow } from './types.js';

export function controlTarget(s: SandboxState): ControlTarget<RowFilter, StoredRow, SandboxStats> {
  return {
    state: s,
    schemas: { faultControl: faultControlSchema, rowFilter: rowFilterSchema },
    bodyLimit: MAX_BODY_BYTES,
    stats: () => statsOf(s),
  };
}
