import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { keyboardReportDecoder } from './decoders.js';
import { BootKeyboardDecoder } from './keyboard-report.js';

const fixture = JSON.parse(fs.readFileSync(new URL('../../test/fixtures/hid/keyboard-6957842208856.json', import.meta.url), 'utf8')) as {
  reports: string[];
};
const hex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));
const key = (mods: number, ...keys: number[]) => Uint8Array.from([mods, 0, ...keys, ...new Array(6 - keys.length).fill(0)]);
const UP = key(0);
const typed = (d: BootKeyboardDecoder, reports: Uint8Array[]) => String.fromCharCode(...reports.flatMap((r) => d.push(r)));

describe('HID boot keyboard decoder', () => {
  it('decodes the recorded report sequence for 6957842208856 + Enter into one scan', () => {
    const dec = keyboardReportDecoder('CR');
    const scans = fixture.reports.flatMap((r) => dec.push(hex(r), 1).scans);
    expect(scans).toHaveLength(1);
    expect(new TextDecoder().decode(scans[0]!.bytes)).toBe('6957842208856');
    expect(scans[0]!.terminatedBy).toBe('suffix');
  });

  it('emits on key-down only: a held key repeated in later reports types once', () => {
    const d = new BootKeyboardDecoder();
    expect(typed(d, [key(0, 0x1e), key(0, 0x1e), key(0, 0x1e), UP])).toBe('1');
  });

  it('applies left and right shift (modifier bits 1 and 5)', () => {
    const d = new BootKeyboardDecoder();
    // (01) typed as Shift+9, 0, 1, Shift+0 — parenthesised GS1 text in keyboard mode
    expect(typed(d, [key(0x02, 0x26), UP, key(0, 0x27), UP, key(0, 0x1e), UP, key(0x20, 0x27), UP, key(0x02, 0x04), UP])).toBe('(01)A');
  });

  it('turns Ctrl+] into GS (ASCII 29), as scanners type FNC1', () => {
    const d = new BootKeyboardDecoder();
    expect(typed(d, [key(0, 0x1f), UP, key(0x01, 0x30), UP, key(0, 0x1f), UP])).toBe('2\x1d2');
    expect(typed(new BootKeyboardDecoder(), [key(0x10, 0x30), UP])).toBe('\x1d'); // right Ctrl
  });

  it('turns Alt + keypad 0029 into GS when Alt is released', () => {
    const d = new BootKeyboardDecoder();
    const alt = 0x04;
    expect(typed(d, [key(alt, 0x62), key(alt), key(alt, 0x62), key(alt), key(alt, 0x5a), key(alt), key(alt, 0x61), key(alt), UP])).toBe('\x1d');
  });

  it('ignores ErrorRollOver reports instead of typing phantom keys', () => {
    const d = new BootKeyboardDecoder();
    expect(typed(d, [key(0, 1, 1, 1, 1, 1, 1), key(0, 0x1e), UP])).toBe('1');
  });

  it('types two different keys that appear in one report', () => {
    const d = new BootKeyboardDecoder();
    expect(typed(d, [key(0, 0x1e, 0x1f), UP])).toBe('12');
  });
});
