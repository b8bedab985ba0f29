import { foldWidth, residentIdCheckChar, type LocalizedMessage } from '../codes/index.js';
import { calendarDate, chinaDate } from './calendar.js';
import { residentIdMessage, type ResidentIdReason } from './messages.js';

/**
 * 居民身份证号码 (GB 11643-1999), 18 characters: 6-digit region (GB/T 2260), 8-digit birth date,
 * 3-digit sequence (odd = male, even = female), ISO 7064 MOD 11-2 check character (weights
 * 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, remainder 0…10 → 1 0 X 9 8 7 6 5 4 3 2; the algorithm is
 * the one in codes/resident-id.ts). A sale register needs the 18-character number of the card in
 * hand, so legacy 15-digit numbers are refused here (codes/ converts them when decoding a scan).
 */
export type ResidentIdCheck =
  | { ok: true; id: string; birthDate: string; sex: 'M' | 'F'; region: string }
  | { ok: false; reason: ResidentIdReason; message: LocalizedMessage };

export interface ResidentIdOptions {
  /** For "not born in the future" (China calendar date). Default: the current time. */
  now?: Date;
}

/** Full-width digits and X, spaces anywhere, a lower-case x: what a clerk or an ID reader types. */
export function normalizeResidentId(raw: string): string {
  return foldWidth(raw).replace(/\s+/g, '').toUpperCase();
}

export function checkResidentId(raw: string, options: ResidentIdOptions = {}): ResidentIdCheck {
  const id = normalizeResidentId(typeof raw === 'string' ? raw : '');
  const fail = (reason: ResidentIdReason): ResidentIdCheck => ({ ok: false, reason, message: residentIdMessage(reason, { length: id.length }) });
  if (id.length !== 18) return fail('length');
  if (!/^\d{17}[\dX]$/.test(id)) return fail('characters');
  const birthDate = calendarDate(Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14)));
  if (birthDate === undefined || birthDate < '1900-01-01' || birthDate > chinaDate(options.now ?? new Date())) return fail('birth_date');
  if (residentIdCheckChar(id.slice(0, 17)) !== id.charAt(17)) return fail('check_digit');
  return { ok: true, id, birthDate, sex: Number(id.charAt(16)) % 2 === 1 ? 'M' : 'F', region: id.slice(0, 6) };
}

export { residentIdCheckChar };
