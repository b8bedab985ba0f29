import type { UploadOperation } from '../../nhsa/profile.schema.js';

export interface SandboxAccount {
  ak: string;
  sk: string;
  uscc: string;
  name: string;
}

export const FAULT_KINDS = ['5xx', 'timeout', 'drop-after-store', 'slow'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultConfig {
  /** 0..1; 0 = no random faults. */
  rate: number;
  kinds: FaultKind[];
  slowMs: number;
  hangMs: number;
  applyToQueries: boolean;
  seed?: number;
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

export interface SandboxStats {
  calls: Record<string, number>;
  faults: Record<FaultKind, number>;
  refusals: Record<string, number>;
  stored: number;
}

export interface RowFilter {
  ak?: string;
  queryType?: string;
}

export interface NhsaSandbox {
  /** http://127.0.0.1:<port> */
  url: string;
  close(): Promise<void>;
  addAccount(a: SandboxAccount): void;
  setFaults(f: Partial<FaultConfig>): void;
  forceFaults(kinds: FaultKind[]): void;
  stats(): SandboxStats;
  rows(filter?: RowFilter): StoredRow[];
  duplicates(): Array<{ identity: string; count: number }>;
}
