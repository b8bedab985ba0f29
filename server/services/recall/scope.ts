import { RECALL_MAX_CODES, type RecallUnreadable } from '../../contract/recall.js';
import { classifyScan } from '../../domain/scans/classify.js';
import { AppError } from '../app-error.js';

/** What a pasted list names: the pack keys the dock stores, and the lines nobody could read. */
export interface ParsedCodes {
  codes: string[];
  unreadable: RecallUnreadable[];
  unreadableCount: number;
}

// The screen and the file show this many unreadable lines; the count says how many there were.
const UNREADABLE_SHOWN = 200;

/**
 * Decodes each line the way a dock scan is decoded (trace codes with hyphens or spaces, GS1 element
 * strings, parenthesised or Digital Link forms), so a code matches the key its scan was stored
 * under: `01<GTIN>21<serial>` for GS1, the 20 digits for a 码上放心 code. A commodity barcode names a
 * product, not a pack, and is refused as the dock refuses it.
 */
export function parseCodes(lines: readonly string[]): ParsedCodes {
  const codes = new Set<string>();
  const unreadable: RecallUnreadable[] = [];
  let unreadableCount = 0;
  lines.forEach((raw, i) => {
    const text = raw.replace(/\r$/, '');
    if (text.trim() === '') return;
    const c = classifyScan({ text: text.trim(), validUtf8: true }, { expect: 'trace' });
    if (c.ok) {
      codes.add(c.code);
      return;
    }
    unreadableCount++;
    if (unreadable.length < UNREADABLE_SHOWN) unreadable.push({ line: i + 1, text: text.slice(0, 120), reason: c.reason });
  });
  if (codes.size === 0 && unreadableCount === 0) throw new AppError('RECALL_SCOPE_REQUIRED', 400);
  if (codes.size > RECALL_MAX_CODES) throw new AppError('RECALL_TOO_MANY_CODES', 413);
  return { codes: [...codes], unreadable, unreadableCount };
}
