import { chinaDate, parseIsoDate } from '../identity/index.js';
import type { BuyerField, PrescriptionField } from './schema.js';
import type { Buyer, Prescription } from './types.js';

const filled = (v: unknown): boolean => typeof v === 'string' && v.trim() !== '';

/** Buyer fields a rule asks for and the sale does not have (an ID number's validity is checked apart). */
export function missingBuyerFields(buyer: Buyer | undefined, fields: readonly BuyerField[]): BuyerField[] {
  return fields.filter((f) => !filled(buyer?.[f]));
}

export function prescriptionGiven(p: Prescription | undefined): boolean {
  return p !== undefined && (['number', 'prescriber', 'hospital', 'date', 'photoRef'] as const).some((f) => filled(p[f]));
}

export interface PrescriptionProblems {
  missing: PrescriptionField[];
  /** Given but unusable: only the date can be (not a real `YYYY-MM-DD`, or after today in China). */
  invalid: PrescriptionField[];
}

export function prescriptionProblems(p: Prescription | undefined, fields: readonly PrescriptionField[], now: Date): PrescriptionProblems {
  const missing = fields.filter((f) => !filled(p?.[f]));
  const invalid: PrescriptionField[] = [];
  if (fields.includes('date') && filled(p?.date)) {
    const date = parseIsoDate(p!.date!);
    if (date === undefined || date > chinaDate(now)) invalid.push('date');
  }
  return { missing, invalid };
}

/** The sale counts as "on prescription" for these fields. */
export function prescriptionSatisfies(p: Prescription | undefined, fields: readonly PrescriptionField[], now: Date): boolean {
  const { missing, invalid } = prescriptionProblems(p, fields, now);
  return missing.length === 0 && invalid.length === 0;
}
