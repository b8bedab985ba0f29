/**
 * Code intelligence (issue 3): pure decoding and validation of every code a dock sees.
 * No I/O, no dependencies; safe to import from server, scripts and tests.
 */
export type { CodeKind, DecodeOptions, DecodedScan, LocalizedMessage, ValidationResult } from './types.js';
export { decodeScan, MAX_SCAN_LENGTH } from './decode.js';
export { normalizeScan, foldWidth, type NormalizedScan } from './normalize.js';
export { REASON_CODES, reasonMessage, isReasonCode, type ReasonCode, type ReasonDetail } from './reasons.js';
export { formatDecodedJson, type CliJsonOptions } from './cli-json.js';

export {
  gs1CheckDigit,
  hasValidGs1CheckDigit,
  isValidGtin,
  isValidSscc,
  isValidGln,
  toGtin14,
} from './check-digit.js';
export { AI_SPECS, lookupAi, type AiSpec, type AiComponent } from './ai-table.js';
export { encodeElementString, encodeParenthesised, encodeDigitalLink, type Gs1Pair } from './gs1-encode.js';
export { aiTitle, aiDecimalValue, gs1Date } from './gs1-values.js';
export { resolveGs1Year } from './gs1-dates.js';

export { parseTraceCode, isTraceCode, type TraceCodeParts } from './trace20.js';
export { validateUscc, usccCheckChar, orgCodeCheckChar } from './uscc.js';
export {
  validateResidentId,
  convertResidentId15To18,
  maskResidentId,
  residentIdCheckChar,
  type ResidentIdResult,
} from './resident-id.js';
export { validateApprovalNumber, type ApprovalNumberResult } from './approval-number.js';
export { validateNhsaDrugCode, validateNhsaConsumableCode } from './nhsa.js';
export { parseMaUdi, type MaUdi, type MaUdiResult } from './udi-ma.js';
