import { classifyScan } from '../../domain/scans/classify.js';

/**
 * The code as the workstation stores it, from whatever a supervisor pastes or scans: a trace code
 * as is, a GS1 element string (with or without AIM id, GS or brackets) as its GTIN + serial
 * identity, the separator a scanner adds removed. Anything the decoder cannot read is looked up
 * as typed, so a code with a typo still gets an honest "not found".
 */
export function canonicalCode(input: string): string {
  const text = input.trim();
  const c = classifyScan({ text, validUtf8: true }, { expect: 'any' });
  return c.ok ? c.code : text.replace(/\x1d/g, '');
}

/** A GTIN + serial pair as the identity a GS1 DataMatrix scan is stored under. */
export function gs1Identity(gtin: string, serial: string): string {
  return `01${gtin}21${serial}`;
}
