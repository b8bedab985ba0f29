import { MAX_FRAME_BYTES } from '../types.js';

export type SuffixName = 'CR' | 'LF' | 'CRLF' | 'TAB' | 'none';
export const SUFFIX_NAMES: readonly SuffixName[] = ['CR', 'LF', 'CRLF', 'TAB', 'none'];

export interface Frame {
  bytes: Uint8Array;
  terminatedBy: 'suffix' | 'timeout' | 'overflow';
}

const CR = 0x0d;
const LF = 0x0a;
const TAB = 0x09;

/**
 * Cuts a serial byte stream into scans. Pure: the caller owns the inter-byte timer and calls
 * `flush()` when the line has gone quiet (scanners configured without a suffix, or a suffix lost).
 *
 * Scanners configured for CR very often still send CR LF (and vice versa), so an LF that directly
 * follows a CR terminator is swallowed instead of producing an empty scan, and a CR directly before
 * an LF terminator is stripped.
 */
export class SuffixFramer {
  private buf: Uint8Array;
  private len = 0;
  private discarding = false;
  private lastWasCr = false;
  /** Bytes thrown away after an overflow, until the next terminator. */
  discardedBytes = 0;

  constructor(
    private readonly suffix: SuffixName,
    private readonly maxBytes = MAX_FRAME_BYTES,
  ) {
    this.buf = new Uint8Array(maxBytes);
  }

  get pending(): number {
    return this.len;
  }

  push(chunk: Uint8Array): Frame[] {
    const frames: Frame[] = [];
    for (const b of chunk) {
      const afterCr = this.lastWasCr;
      this.lastWasCr = b === CR;
      if (this.isTerminator(b)) {
        if (b === LF && afterCr && this.suffix !== 'LF') continue; // the LF of a CR LF pair
        if (this.discarding) {
          this.discarding = false;
          continue;
        }
        let end = this.len;
        if (this.suffix === 'LF' && end > 0 && this.buf[end - 1] === CR) end--;
        this.len = 0;
        if (end > 0) frames.push({ bytes: this.buf.slice(0, end), terminatedBy: 'suffix' });
        continue;
      }
      if (this.discarding) {
        this.discardedBytes++;
        continue;
      }
      this.buf[this.len++] = b;
      if (this.len === this.maxBytes) {
        frames.push({ bytes: this.buf.slice(0, this.len), terminatedBy: 'overflow' });
        this.len = 0;
        // The rest of an over-long line is no scan; drop it until the next terminator.
        this.discarding = this.suffix !== 'none';
      }
    }
    return frames;
  }

  /** The line went quiet: whatever is buffered is one scan (or nothing). */
  flush(): Frame | undefined {
    this.discarding = false;
    if (this.len === 0) return undefined;
    const frame: Frame = { bytes: this.buf.slice(0, this.len), terminatedBy: 'timeout' };
    this.len = 0;
    return frame;
  }

  private isTerminator(b: number): boolean {
    switch (this.suffix) {
      case 'CR':
      case 'CRLF':
        return b === CR || b === LF;
      case 'LF':
        return b === LF;
      case 'TAB':
        return b === TAB;
      case 'none':
        return false;
    }
  }
}
