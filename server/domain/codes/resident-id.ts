import { daysInMonth, isoDate } from './gs1-dates.js';
import { foldWidth } from './normalize.js';
import type { ValidationResult } from './types.js';

/**
 * 居民身份证号码, GB 11643-1999: 6-digit region, 8-digit birth date, 3-digit sequence (odd =
 * male), ISO 7064 MOD 11-2 check character. Legacy 15-digit cards (1984–1999) have a two-digit
 * year of the 1900s and no check character.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';
/** Provinces, plus 71 Taiwan, 81/82 Hong Kong/Macao, 83 Taiwan-resident permits (GB/T 2260). */
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
]);

export interface ResidentIdResult extends ValidationResult {
  birthDate?: string;
  sex?: 'M' | 'F';
  /** The 18-character number (converted when a 15-digit one was given). */
  id18?: string;
}

export function residentIdCheckChar(first17: string): string | undefined {
  if (!/^\d{17}$/.test(first17)) return undefined;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK.charAt(sum % 11);
}

/** 15-digit legacy number → 18 digits (insert '19', append the check character). */
export function convertResidentId15To18(id15: string): string | undefined {
  const s = foldWidth(id15).trim();
  if (!/^\d{15}$/.test(s)) return undefined;
  const body = `${s.slice(0, 6)}19${s.slice(6)}`;
  return body + residentIdCheckChar(body)!;
}

/** `620102********123X`: region and the last four stay readable for a clerk, the birth date does not. */
export function maskResidentId(id: string): string {
  const s = id.trim();
  if (s.length === 18 || s.length === 15) return s.slice(0, 6) + '*'.repeat(s.length - 10) + s.slice(-4);
  return s.length <= 2 ? '*'.repeat(s.length) : '*'.repeat(s.length - 2) + s.slice(-2);
}

function birthDate(s: string, at: number, now: Date): string | undefined {
  const y = Number(s.slice(at, at + 4));
  const m = Number(s.slice(at + 4, at + 6));
  const d = Number(s.slice(at + 6, at + 8));
  if (y < 1900 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  const iso = isoDate(y, m, d);
  const today = isoDate(now.getFullYear(), now.getMonth() + 1, now.getDate());
  return iso <= today ? iso : undefined;
}

export function validateResidentId(id: string, options?: { now?: Date }): ResidentIdResult {
  const normalized = foldWidth(id).replace(/\s+/g, '').toUpperCase();
  const now = options?.now ?? new Date();
  let id18 = normalized;
  if (normalized.length === 15) {
    if (!/^\d{15}$/.test(normalized)) return { valid: false, reason: 'id_bad_character', normalized };
    id18 = convertResidentId15To18(normalized)!;
  } else if (normalized.length !== 18) {
    return { valid: false, reason: 'id_wrong_length', normalized };
  }
  if (!/^\d{17}[\dX]$/.test(id18)) return { valid: false, reason: 'id_bad_character', normalized };
  if (!PROVINCES.has(Number(id18.slice(0, 2)))) return { valid: false, reason: 'id_bad_region', normalized };
  const birth = birthDate(id18, 6, now);
  if (birth === undefined) return { valid: false, reason: 'id_bad_birth_date', normalized };
  if (residentIdCheckChar(id18.slice(0, 17)) !== id18.charAt(17)) return { valid: false, reason: 'id_check_char', normalized };
  const sex = (id18.charCodeAt(16) - 48) % 2 === 1 ? 'M' : 'F';
  return { valid: true, normalized, birthDate: birth, sex, id18 };
}
