/** USB HID keyboard usage ids (HID Usage Tables, page 0x07) → US layout characters [plain, shifted]. */

export const KEY_ENTER = 0x28;
export const KEY_TAB = 0x2b;
export const KEYPAD_ENTER = 0x58;
/** Sent in every slot when too many keys are down at once; the report carries no key state. */
export const ERROR_ROLLOVER = 0x01;

const table = new Map<number, readonly [string, string]>();
for (let u = 0x04; u <= 0x1d; u++) {
  const c = String.fromCharCode(0x61 + u - 0x04);
  table.set(u, [c, c.toUpperCase()]);
}
const digitRow = ['1!', '2@', '3#', '4$', '5%', '6^', '7&', '8*', '9(', '0)'];
digitRow.forEach((pair, i) => table.set(0x1e + i, [pair[0]!, pair[1]!]));
const punctuation: Array<[number, string, string]> = [
  [0x2c, ' ', ' '],
  [0x2d, '-', '_'],
  [0x2e, '=', '+'],
  [0x2f, '[', '{'],
  [0x30, ']', '}'],
  [0x31, '\\', '|'],
  [0x32, '#', '~'],
  [0x33, ';', ':'],
  [0x34, "'", '"'],
  [0x35, '`', '~'],
  [0x36, ',', '<'],
  [0x37, '.', '>'],
  [0x38, '/', '?'],
  [0x54, '/', '/'],
  [0x55, '*', '*'],
  [0x56, '-', '-'],
  [0x57, '+', '+'],
  [0x63, '.', '.'],
];
for (const [u, a, b] of punctuation) table.set(u, [a, b]);

/** Keypad digits 1–9, 0: also used for Alt+numpad character entry (Alt+0029 = GS). */
export function keypadDigit(usage: number): number | undefined {
  if (usage >= 0x59 && usage <= 0x61) return usage - 0x58;
  if (usage === 0x62) return 0;
  return undefined;
}

export function usageToChar(usage: number, shift: boolean): string | undefined {
  const kp = keypadDigit(usage);
  if (kp !== undefined) return String(kp);
  const pair = table.get(usage);
  return pair ? pair[shift ? 1 : 0] : undefined;
}
