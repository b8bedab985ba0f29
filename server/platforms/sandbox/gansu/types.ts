import type { GansuSaleRow } from '../../gansu/rows.js';
import type { FaultConfigBase, SandboxControls, StatsBase } from '../common/types.js';

/** One store of a platform account: its own USCC and its own appKey (授权码), as the guide requires of chains. */
export interface GansuSandboxStore {
  uscc: string;
  name: string;
  appKey: string;
}

/** A platform account: loginId is the business's USCC (对接企业统一社会信用代码). */
export interface GansuSandboxAccount {
  loginId: string;
  password: string;
  stores: GansuSandboxStore[];
}

/**
 * '5xx' nothing stored, token not spent; 'timeout' hold then drop, nothing stored, token not spent;
 * 'drop-after-store' stored, token spent, socket dropped; 'slow' stored, answered late;
 * '402' answered 402 without spending or storing (a platform that invalidated the token);
 * '453' answered 453 (nothing stored, token not spent).
 */
export const FAULT_KINDS = ['5xx', 'timeout', 'drop-after-store', 'slow', '402', '453'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultConfig extends FaultConfigBase<FaultKind> {
  /** Random faults hit getToken too (only 5xx, timeout and slow mean anything there). */
  applyToTokens: boolean;
}

export interface StoredSale {
  seq: number;
  loginId: string;
  appKey: string;
  uscc: string;
  /** The token of the call that stored it. */
  token: string;
  storedAt: number;
  row: GansuSaleRow;
}

/** One saveSaleData call as the sandbox saw it. */
export interface SaveCall {
  /** Arrival, on the sandbox's clock (ms). */
  at: number;
  /** The token's account; null when the token was unknown. */
  loginId: string | null;
  token: string;
  appKey: string;
  /** Rows in the body; null when the body was not a JSON array. */
  rowCount: number | null;
  /** The answer's code (the HTTP status for a 5xx fault; what was decided even when the answer was dropped); null for a timeout. */
  code: number | null;
  fault: FaultKind | null;
}

export interface GansuSandboxStats extends StatsBase<FaultKind> {
  tokens: { issued: number; refused: number };
  saveCalls: number;
  /** saveSaleData answers by code. */
  codes: Record<string, number>;
}

export interface SaleFilter {
  loginId?: string;
  uscc?: string;
  appKey?: string;
}

export interface GansuSandbox extends SandboxControls<GansuSandboxAccount, FaultConfig, FaultKind, GansuSandboxStats, SaleFilter, StoredSale> {
  /** SPKI PEM ("BEGIN PUBLIC KEY"). */
  publicKeyPem: string;
  /** The bare base64 DER SPKI body, the form Chinese platforms usually hand out. */
  publicKeyBase64: string;
  /** PKCS#8 PEM of the private key: for tests that decrypt with openssl. */
  privateKeyPemForTests: string;
  calls(): SaveCall[];
}
