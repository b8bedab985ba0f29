import type { UploadOperation } from '../../nhsa/profile.schema.js';
import type { FaultConfigBase, SandboxControls, StatsBase } from '../common/types.js';

export interface SandboxAccount {
  ak: string;
  sk: string;
  uscc: string;
  name: string;
}

export const FAULT_KINDS = ['5xx', 'timeout', 'drop-after-store', 'slow'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultConfig extends FaultConfigBase<FaultKind> {
  applyToQueries: boolean;
}

export interface StoredRow {
  seq: number;
  ak: string;
  uscc: string;
  operation: UploadOperation;
  queryType: string;
  /** Header fields merged with the item's, under the platform's names. */
  fields: Record<string, string | number>;
  uploadedAt: number;
  /** YYYY-MM-DD, China time (what the platform's by-date query matches). */
  uploadDate: string;
}

export interface SandboxStats extends StatsBase<FaultKind> {
  calls: Record<string, number>;
  refusals: Record<string, number>;
}

export interface RowFilter {
  ak?: string;
  queryType?: string;
}

export interface NhsaSandbox extends SandboxControls<SandboxAccount, FaultConfig, FaultKind, SandboxStats, RowFilter, StoredRow> {}
