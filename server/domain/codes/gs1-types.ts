import type { AiSpec } from './ai-table.js';
import type { ReasonCode } from './reasons.js';

export const GS = 29;
export const GS_CHAR = '\x1d';

/** One AI with its raw data as it appeared in the scan. */
export interface Gs1Element {
  ai: string;
  value: string;
  spec: AiSpec;
  /**
   * Raw form only: variable-length data that may hide further AIs because its end came from a
   * separator or the end of data — and, for plain text fields, it contains a digit pair that
   * could start an AI (see gs1-swallow.ts).
   */
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
