/**
 * Calendar dates as a Chinese pharmacy counts them: China time (UTC+8, no daylight saving since
 * 1991), whatever time zone the server process runs in. `now` is always passed in.
 */
export { chinaDate } from '../china-time.js';

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `YYYY-MM-DD` when year/month/day make a real Gregorian date, else undefined. */
export function calendarDate(year: number, month: number, day: number): string | undefined {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return undefined;
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A strict `YYYY-MM-DD` that names a real date, else undefined. */
export function parseIsoDate(s: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s.trim());
  return m ? calendarDate(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
}
