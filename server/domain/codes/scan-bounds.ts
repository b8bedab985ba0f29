/**
 * Where the data of a raw scan starts and ends: after a BOM, blanks and the AIM symbology
 * identifier, before line-end junk. Shared by normalisation and the fast direct path.
 */
function isTrailingJunk(c: number): boolean {
  // CR/LF/TAB suffixes of serial and wedge scanners, NUL padding of HID reports.
  return c <= 32 ? c === 13 || c === 10 || c === 9 || c === 32 || c === 0 : c === 0x3000;
}

function isAimAt(s: string, i: number, end: number): boolean {
  if (s.charCodeAt(i) !== 93 || end - i < 3) return false;
  const a = s.charCodeAt(i + 1);
  const m = s.charCodeAt(i + 2);
  const letter = (a >= 65 && a <= 90) || (a >= 97 && a <= 122);
  const mod = (m >= 48 && m <= 57) || (m >= 65 && m <= 90) || (m >= 97 && m <= 122);
  return letter && mod;
}

/** AIMs that announce GS1 element strings (DOMAIN.md §2.2). */
export const GS1_AIMS: ReadonlySet<string> = new Set([']C1', ']d2', ']Q3', ']e0', ']J1']);

/** The shared string of a common AIM, so that no string is made per scan. */
function knownAim(raw: string, i: number): string | undefined {
  const c1 = raw.charCodeAt(i + 1);
  const c2 = raw.charCodeAt(i + 2);
  switch (c1) {
    case 67: return c2 === 49 ? ']C1' : c2 === 48 ? ']C0' : undefined; // C
    case 100: return c2 === 50 ? ']d2' : c2 === 49 ? ']d1' : undefined; // d
    case 81: return c2 === 51 ? ']Q3' : c2 === 49 ? ']Q1' : undefined; // Q
    case 101: return c2 === 48 ? ']e0' : undefined; // e
    case 74: return c2 === 49 ? ']J1' : undefined; // J
    case 69: return c2 === 48 ? ']E0' : c2 === 52 ? ']E4' : undefined; // E
    default: return undefined;
  }
}

function isGs1AimAt(raw: string, i: number): boolean {
  const c1 = raw.charCodeAt(i + 1);
  const c2 = raw.charCodeAt(i + 2);
  return (c1 === 67 && c2 === 49) || (c1 === 100 && c2 === 50) || (c1 === 81 && c2 === 51) || (c1 === 101 && c2 === 48) || (c1 === 74 && c2 === 49);
}

/** Start/end after BOM, surrounding blanks and line-end junk, and the AIM prefix; set by scanBounds. */
export const bounds = { start: 0, end: 0, aim: undefined as string | undefined, gs1Aim: false };

/** Computes `bounds` for raw (no allocation but the AIM string). */
export function scanBounds(raw: string): void {
  let a = 0;
  let b = raw.length;
  let c = raw.charCodeAt(0);
  // Most scans start with ']', a digit or a letter: the blank/BOM loop is skipped outright.
  if (c <= 32 || c === 0xfeff || c === 0x3000) {
    if (c === 0xfeff) a = 1;
    while (a < b && (raw.charCodeAt(a) === 32 || raw.charCodeAt(a) === 9 || raw.charCodeAt(a) === 0x3000)) a++;
    c = raw.charCodeAt(a);
  }
  while (b > a && isTrailingJunk(raw.charCodeAt(b - 1))) b--;
  let aim: string | undefined;
  let gs1Aim = false;
  if (c === 93 && isAimAt(raw, a, b)) {
    gs1Aim = isGs1AimAt(raw, a);
    aim = knownAim(raw, a) ?? raw.slice(a, a + 3);
    a += 3;
  }
  bounds.start = a;
  bounds.end = b;
  bounds.aim = aim;
  bounds.gs1Aim = gs1Aim;
}
