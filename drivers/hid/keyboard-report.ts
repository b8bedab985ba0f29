import { ERROR_ROLLOVER, KEY_ENTER, KEY_TAB, KEYPAD_ENTER, keypadDigit, usageToChar } from './keyboard-usage.js';

/**
 * Boot-protocol keyboard report decoder for scanners in keyboard mode read through hidraw:
 * 8 bytes `[modifiers, reserved, k1..k6]`. A character is produced when its key appears in a
 * report (key-down), never on release, so held or repeated reports do not double characters.
 *
 * Modifiers: bit 0/4 Ctrl, bit 1/5 Shift, bit 2/6 Alt. Scanners send FNC1 as Ctrl+] (→ GS) or as
 * Alt + keypad 0029 (→ GS, emitted when Alt is released).
 */
export class BootKeyboardDecoder {
  private down = new Set<number>();
  private altCode: string | null = null;

  /** Returns the bytes this report types (CR for Enter, TAB for Tab). */
  push(report: Uint8Array): number[] {
    if (report.length < 3) return [];
    const mods = report[0] ?? 0;
    const keys = Array.from(report.subarray(2, 8)).filter((k) => k !== 0);
    if (keys.includes(ERROR_ROLLOVER)) return []; // phantom state: keep the previous key set
    const ctrl = (mods & 0x11) !== 0;
    const shift = (mods & 0x22) !== 0;
    const alt = (mods & 0x44) !== 0;
    const out: number[] = [];

    for (const k of keys) {
      if (this.down.has(k)) continue;
      if (alt && !ctrl) {
        const d = keypadDigit(k);
        if (d !== undefined) this.altCode = (this.altCode ?? '') + String(d);
        continue;
      }
      const byte = this.keyDown(k, ctrl, shift);
      if (byte !== undefined) out.push(byte);
    }
    this.down = new Set(keys);

    if (!alt && this.altCode !== null) {
      const code = Number.parseInt(this.altCode, 10);
      this.altCode = null;
      if (code > 0 && code < 256) out.push(code);
    }
    return out;
  }

  private keyDown(usage: number, ctrl: boolean, shift: boolean): number | undefined {
    if (usage === KEY_ENTER || usage === KEYPAD_ENTER) return 0x0d;
    if (usage === KEY_TAB) return 0x09;
    const ch = usageToChar(usage, shift);
    if (ch === undefined) return undefined;
    if (ctrl) return controlByte(ch);
    return ch.charCodeAt(0);
  }
}

/** Ctrl+letter → 0x01–0x1A; Ctrl+[ \ ] → ESC FS GS (how scanners type ASCII control characters). */
function controlByte(ch: string): number | undefined {
  const c = ch.toUpperCase().charCodeAt(0);
  if (c >= 0x40 && c <= 0x5f) return c - 0x40;
  if (ch === '}') return 0x1d;
  return undefined;
}
