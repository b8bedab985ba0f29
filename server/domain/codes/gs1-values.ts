import { lookupAi } from './ai-table.js';
import { parseYymmdd } from './gs1-dates.js';

/** Title of an AI as in the GS1 tables ('BATCH/LOT'), for screens and reports. */
export function aiTitle(ai: string): string | undefined {
  return lookupAi(ai)?.title;
}

/**
 * Measures and amounts (31nn–36nn, 39nn) imply the decimal point by the AI's last digit:
 * (3103)001250 is 1.250 kg. For 391n/393n the ISO 4217 currency code comes first and is left out.
 */
export function aiDecimalValue(ai: string, raw: string): string | undefined {
  const spec = lookupAi(ai);
  if (spec === undefined || spec.decimals < 0 || !/^\d+$/.test(raw)) return undefined;
  const digits = ai.startsWith('391') || ai.startsWith('393') ? raw.slice(3) : raw;
  if (digits === '') return undefined;
  const d = spec.decimals;
  const padded = digits.padStart(d + 1, '0');
  const int = padded.slice(0, padded.length - d).replace(/^0+(?=\d)/, '');
  return d === 0 ? int : `${int}.${padded.slice(padded.length - d)}`;
}

/** A GS1 YYMMDD field as 'YYYY-MM-DD' (DD = 00: last day of the month), or undefined. */
export function gs1Date(yymmdd: string, now: Date = new Date()): string | undefined {
  if (!/^\d{6}$/.test(yymmdd)) return undefined;
  return parseYymmdd(yymmdd, 0, now.getFullYear(), true);
}
