import { foldWidth } from './normalize.js';
import type { ValidationResult } from './types.js';

/**
 * 统一社会信用代码, GB 32100-2015: 18 characters from a 31-symbol set (no I, O, S, V, Z).
 * Positions 9–17 are the organisation code of GB 11714 with its own check character; position
 * 18 checks the whole code with weights 3^(i−1) mod 31.
 */
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

export function usccCheckChar(first17: string): string | undefined {
  if (first17.length !== 17) return undefined;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CHARSET.indexOf(first17.charAt(i));
    if (v < 0) return undefined;
    sum += v * WEIGHTS[i]!;
  }
  return CHARSET.charAt((31 - (sum % 31)) % 31);
}

/** GB 11714 check character of an 8-character organisation code body (digits 0–9, A = 10 … Z = 35). */
export function orgCodeCheckChar(body8: string): string | undefined {
  if (!/^[0-9A-Z]{8}$/.test(body8)) return undefined;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += parseInt(body8.charAt(i), 36) * ORG_WEIGHTS[i]!;
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

export function validateUscc(s: string): ValidationResult {
  const normalized = foldWidth(s).replace(/\s+/g, '').toUpperCase();
  if (normalized.length !== 18) return { valid: false, reason: 'uscc_wrong_length', normalized };
  for (const ch of normalized) {
    if (!CHARSET.includes(ch)) return { valid: false, reason: 'uscc_bad_character', normalized };
  }
  if (usccCheckChar(normalized.slice(0, 17)) !== normalized.charAt(17)) return { valid: false, reason: 'uscc_check_char', normalized };
  if (orgCodeCheckChar(normalized.slice(8, 16)) !== normalized.charAt(16)) return { valid: false, reason: 'uscc_org_code_check', normalized };
  return { valid: true, normalized };
}
