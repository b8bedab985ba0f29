import { maskResidentId } from '../domain/codes/index.js';

/**
 * Personal data on screens and in exports is masked unless the operator holds the right and gives
 * a reason (issue 4 §5, logged as an audit entry). Masks keep enough for a clerk to tell two
 * records apart and no more.
 */

/** `620102********123X` for an 18-digit ID; shorter documents keep their last two characters. */
export function maskIdNumber(id: string): string {
  return maskResidentId(id);
}

/** `138****5678` for a mainland mobile; other numbers keep only their last four digits. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/[\s-]/g, '');
  const local = digits.replace(/^(\+?86)(?=1\d{10}$)/, '');
  if (/^1\d{10}$/.test(local)) return `${local.slice(0, 3)}****${local.slice(7)}`;
  if (local.length <= 4) return '*'.repeat(local.length);
  return '*'.repeat(local.length - 4) + local.slice(-4);
}

/** `张*`, `张**`: the first character (the surname) stays, the rest is starred. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  if (chars.length === 1) return '*';
  return chars[0] + '*'.repeat(chars.length - 1);
}

/** Province and city (first six characters) stay; the street and number do not. */
export function maskAddress(address: string): string {
  const chars = [...address.trim()];
  if (chars.length <= 6) return '*'.repeat(chars.length);
  return chars.slice(0, 6).join('') + '****';
}
