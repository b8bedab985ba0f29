import type { AiSpec } from './ai-table.js';
import type { ReasonCode } from './reasons.js';

export const GS = 29;
export const GS_CHAR = '\x1d';

/** One AI with its raw data as it appeared in the scan. */
export interface Gs1Element {
  ai: string;
  value: string;
  spec: AiSpec;
  /** Variable-length data whose end came from a separator or the end of data (raw form only). */
  delimited: boolean;
}

export interface Gs1Error {
  reason: ReasonCode;
  ai?: string;
  value?: string;
  detail?: string;
}

export interface Gs1ParseResult {
  elements: Gs1Element[];
  error?: Gs1Error;
}
