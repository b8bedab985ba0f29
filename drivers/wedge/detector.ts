/**
 * Keyboard-wedge detector, shared by the browser (ui/) and tests. A scanner in keyboard mode
 * "types" a whole code in a few tens of milliseconds and ends with its suffix key; a person types
 * the same characters 80–300 ms apart. The detector watches every key on the window (no input
 * needs focus) and reports a scan only for a fast burst that ends with the suffix.
 *
 * Pure: timestamps come from the caller (KeyboardEvent.timeStamp or performance.now()).
 */

export interface WedgeOptions {
  /** Longest gap between two keys of one scan. Scanners: 1–20 ms; humans: ≥ 60 ms. */
  maxInterKeyMs: number;
  /** Shorter bursts are a person's fast double tap, not a scan. */
  minLength: number;
  /** KeyboardEvent.key values that end a scan (the scanner's configured suffix). */
  suffixKeys: readonly string[];
  /** Some scanners pause a little before the suffix; allow this much for the last gap. */
  maxSuffixGapMs: number;
}

export const DEFAULT_WEDGE_OPTIONS: WedgeOptions = {
  maxInterKeyMs: 35,
  minLength: 4,
  suffixKeys: ['Enter', 'Tab'],
  maxSuffixGapMs: 100,
};

export interface WedgeKey {
  /** KeyboardEvent.key */
  key: string;
  /** ms */
  time: number;
  ctrlKey?: boolean;
  altKey?: boolean;
}

export interface WedgeScan {
  text: string;
  /** Time from first character to the suffix. */
  durationMs: number;
}

const GS = '\x1d';

export class WedgeDetector {
  private chars: string[] = [];
  private lastTime = -Infinity;
  private readonly opts: WedgeOptions;

  constructor(options: Partial<WedgeOptions> = {}) {
    this.opts = { ...DEFAULT_WEDGE_OPTIONS, ...options };
  }

  private firstTime = 0;

  /** Feeds one keydown; returns a scan when this key completes one. */
  key(ev: WedgeKey): WedgeScan | undefined {
    const gap = ev.time - this.lastTime;
    if (this.opts.suffixKeys.includes(ev.key)) {
      const scan =
        this.chars.length >= this.opts.minLength && gap <= this.opts.maxSuffixGapMs
          ? { text: this.chars.join(''), durationMs: ev.time - this.firstTime }
          : undefined;
      this.reset();
      return scan;
    }
    const ch = toChar(ev);
    if (ch === undefined) return undefined; // Shift, CapsLock, …: part of typing, no character
    if (gap > this.opts.maxInterKeyMs) {
      this.chars = [];
      this.firstTime = ev.time;
    }
    this.chars.push(ch);
    this.lastTime = ev.time;
    return undefined;
  }

  reset(): void {
    this.chars = [];
    this.lastTime = -Infinity;
  }
}

/** The character a keydown produces, with Ctrl+] as FNC1/GS (what scanners send for GS in keyboard mode). */
function toChar(ev: WedgeKey): string | undefined {
  if (ev.ctrlKey && (ev.key === ']' || ev.key === '}')) return GS;
  if (ev.ctrlKey || ev.altKey) return undefined;
  return ev.key.length === 1 ? ev.key : undefined;
}
