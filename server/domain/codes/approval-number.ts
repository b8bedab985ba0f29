import { foldWidth } from './normalize.js';
import type { ValidationResult } from './types.js';

/**
 * 批准文号 (DOMAIN.md §2.3): 国药准字 + H (chemical) / Z (TCM) / S (biological) / J (imported
 * repackaged), optionally C/J, + 8 digits; legacy import licences B?[HZS]C?\d{8}.
 */
const DOMESTIC = /^国药准字[HZSJ][CJ]?\d{8}$/;
const LEGACY_IMPORT = /^B?[HZS]C?\d{8}$/;

export interface ApprovalNumberResult extends ValidationResult {
  /** H chemical, Z traditional Chinese medicine, S biological, J imported (repackaged). */
  category?: 'H' | 'Z' | 'S' | 'J';
  imported?: boolean;
}

export function validateApprovalNumber(s: string): ApprovalNumberResult {
  const normalized = foldWidth(s).replace(/\s+/g, '').toUpperCase();
  if (DOMESTIC.test(normalized)) {
    return { valid: true, normalized, category: normalized.charAt(4) as 'H' | 'Z' | 'S' | 'J', imported: false };
  }
  if (LEGACY_IMPORT.test(normalized)) {
    const cat = normalized.charAt(normalized.charAt(0) === 'B' ? 1 : 0) as 'H' | 'Z' | 'S';
    return { valid: true, normalized, category: cat, imported: true };
  }
  return { valid: false, reason: 'approval_bad_format', normalized };
}
