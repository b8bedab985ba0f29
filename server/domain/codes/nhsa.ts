import { foldWidth } from './normalize.js';
import type { ValidationResult } from './types.js';

/**
 * NHSA (国家医保局) catalogue codes, shape only (DOMAIN.md §2.3): western drugs X + 22 characters
 * (class 5, name 4, form 4, spec/pack 4, enterprise 5), Chinese patent medicines Z + 19;
 * consumables C + 19 digits, or C + 26 with the 7-digit spec/model part.
 */
const DRUG = /^(X[0-9A-Z]{22}|Z[0-9A-Z]{19})$/;
const CONSUMABLE = /^C(\d{19}|\d{26})$/;

function clean(s: string): string {
  return foldWidth(s).replace(/\s+/g, '').toUpperCase();
}

export function validateNhsaDrugCode(s: string): ValidationResult {
  const normalized = clean(s);
  return DRUG.test(normalized) ? { valid: true, normalized } : { valid: false, reason: 'nhsa_drug_bad_format', normalized };
}

export function validateNhsaConsumableCode(s: string): ValidationResult {
  const normalized = clean(s);
  return CONSUMABLE.test(normalized) ? { valid: true, normalized } : { valid: false, reason: 'nhsa_consumable_bad_format', normalized };
}

/** Close enough to an NHSA code that its shape error is the most helpful answer. */
export function nhsaKindOf(s: string): 'nhsa-drug' | 'nhsa-consumable' | undefined {
  if (!/^[0-9A-Z]{12,30}$/.test(s)) return undefined;
  const c = s.charCodeAt(0);
  if (c === 88 || c === 90) return /\d/.test(s.slice(1, 4)) ? 'nhsa-drug' : undefined; // X, Z
  if (c === 67 && /^C\d{10}/.test(s)) return 'nhsa-consumable';
  return undefined;
}
