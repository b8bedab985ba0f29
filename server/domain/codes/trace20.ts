import { allDigits } from './charset.js';

/**
 * The 20-digit drug traceability code of the 码上放心 platform (DOMAIN.md §2.1): digits 1–7 the
 * drug identification code (product, package spec and level), 8–16 serial, 17–20 check part.
 * The check algorithm is not public, so shape and prefix are all that can be verified here.
 */
export interface TraceCodeParts {
  traceCode: string;
  prefix: string;
  serial: string;
  checkPart: string;
  /** Prefix 89: special-control drugs (narcotic/psychotropic) with extra handling rules. */
  special: boolean;
}

export function isTraceCode(s: string): boolean {
  return s.length === 20 && s.charCodeAt(0) === 56 && allDigits(s);
}

export function parseTraceCode(s: string): TraceCodeParts | undefined {
  if (!isTraceCode(s)) return undefined;
  return {
    traceCode: s,
    prefix: s.slice(0, 7),
    serial: s.slice(7, 16),
    checkPart: s.slice(16),
    special: s.charCodeAt(1) === 57,
  };
}

/** How a near-miss looks: a digits-mostly string starting with 8 of about trace-code length. */
export function looksLikeTrace(s: string): boolean {
  if (s.charCodeAt(0) !== 56 || s.length < 15 || s.length > 25) return false;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  return digits >= s.length - 3;
}
