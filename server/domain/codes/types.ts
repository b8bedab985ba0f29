import type { ReasonCode } from './reasons.js';

export type CodeKind =
  | 'trace20'
  | 'gs1'
  | 'sscc'
  | 'commodity'
  | 'nhsa-drug'
  | 'nhsa-consumable'
  | 'udi-ma'
  | 'unknown';

export interface DecodeOptions {
  /** Characters or tokens a keyboard-mode scanner sends instead of FNC1 (default `['|']`). Single data characters of GS1 (e.g. `/`) are ignored. */
  fnc1Substitutes?: string[];
  /** `'trace'`: a product-only barcode (EAN-13, a lone GTIN, an NHSA code) is rejected. Default `'any'`. */
  expect?: 'trace' | 'any';
  /** Reference date for the GS1 century window and ID birth-date checks (default: now). */
  now?: Date;
}

export interface LocalizedMessage {
  'zh-CN': string;
  en: string;
}

/** One decoded scan: the CLI JSON of DESIGN.md §3 plus the fields below it. */
export interface DecodedScan {
  input: string;
  kind: CodeKind;
  valid: boolean;
  reason?: ReasonCode;
  message?: LocalizedMessage;
  aim?: string;
  gtin?: string;
  serial?: string;
  batch?: string;
  expiry?: string;
  productionDate?: string;
  sscc?: string;
  traceCode?: string;
  prefix?: string;
  special?: boolean;
  ais?: Record<string, string>;
  /** AIs of `ais` in scan order: a JS object lists numeric-looking keys ("10", "17") before "01". */
  aiOrder?: readonly string[];
  /** The key of one physical unit: trace20 digits, '01'+GTIN+'21'+serial, or '00'+SSCC. */
  identity?: string;
  /** Warnings that do not by themselves reject the scan (or explain the rejection). */
  suspicious?: string[];
  /** trace20: digits 17–20, the (unpublished) check part. */
  checkPart?: string;
  /** nhsa-drug / nhsa-consumable: the code itself. */
  nhsaCode?: string;
  /** udi-ma: the device identifier (DI) part. */
  udiDi?: string;
}

/** Result of the stand-alone validators (USCC, ID number, approval number …). */
export interface ValidationResult {
  valid: boolean;
  reason?: ReasonCode;
  /** The input after full-width folding and removal of spaces, upper-cased where the format is. */
  normalized: string;
}
