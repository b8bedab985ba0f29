import type { DecodedFields, Localized } from '../../contract/views.js';
import { SCAN_REASONS, type ScanReasonCode } from './reasons.js';

export interface ScanInput {
  text: string;
  validUtf8: boolean;
  terminatedBy?: 'suffix' | 'timeout' | 'overflow';
  aim?: string;
}

export type Classification =
  | { ok: true; code: string; kind: string | null; fields: DecodedFields | null }
  | { ok: false; reasonCode: string; reason: Localized; kind: string | null; fields: DecodedFields | null };

const GS = 0x1d;

/**
 * Does this frame carry a code at all? (The full decoder of server/domain/codes decides what code.)
 * Pure. Garbage must be rejected with a reason, never silently accepted as a code.
 */
export function screenFrame(input: ScanInput): { reasonCode: ScanReasonCode } | { text: string } {
  if (input.terminatedBy === 'overflow') return { reasonCode: 'too_long' };
  if (!input.validUtf8) return { reasonCode: 'invalid_utf8' };
  const text = input.text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
  if (text.length === 0) return { reasonCode: 'empty' };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== GS) || c === 0x7f) return { reasonCode: 'control_chars' };
  }
  return { text };
}

/** Minimal classifier: printable ASCII (plus GS) of a plausible length with letters or digits. */
export function classifyScan(input: ScanInput): Classification {
  const screened = screenFrame(input);
  if ('reasonCode' in screened) return reject(screened.reasonCode);
  const { text } = screened;
  if (text.length < 4 || !/^[\x20-\x7e\x1d]+$/.test(text) || !/[0-9A-Za-z]/.test(text)) return reject('not_a_code');
  return { ok: true, code: text, kind: null, fields: null };
}

export function reject(reasonCode: ScanReasonCode): Classification {
  return { ok: false, reasonCode, reason: SCAN_REASONS[reasonCode], kind: null, fields: null };
}
