import { describe, expect, it } from 'vitest';
import { SuffixFramer, type SuffixName } from './suffix-framer.js';

const enc = (s: string) => new TextEncoder().encode(s);
const texts = (suffix: SuffixName, ...chunks: string[]) => {
  const f = new SuffixFramer(suffix);
  return chunks.flatMap((c) => f.push(enc(c))).map((fr) => new TextDecoder().decode(fr.bytes));
};

describe('serial suffix framer', () => {
  it.each<[SuffixName, string]>([
    ['CR', 'ABC123\rDEF456\r'],
    ['LF', 'ABC123\nDEF456\n'],
    ['CRLF', 'ABC123\r\nDEF456\r\n'],
    ['TAB', 'ABC123\tDEF456\t'],
  ])('cuts frames at %s', (suffix, stream) => {
    expect(texts(suffix, stream)).toEqual(['ABC123', 'DEF456']);
  });

  it('joins frames split across chunks', () => {
    expect(texts('CR', 'ABC', '12', '3\rDE', 'F\r')).toEqual(['ABC123', 'DEF']);
  });

  it('swallows the LF of a CR LF pair when configured for CR (a common scanner default)', () => {
    expect(texts('CR', 'A1\r\nB2\r\n')).toEqual(['A1', 'B2']);
  });

  it('strips a CR before the LF when configured for LF', () => {
    expect(texts('LF', 'A1\r\nB2\n')).toEqual(['A1', 'B2']);
  });

  it('keeps GS (ASCII 29) and other data bytes inside a frame', () => {
    expect(texts('CR', '0109506000134352\x1d10AB12\r')).toEqual(['0109506000134352\x1d10AB12']);
  });

  it('with no suffix, only flush() (the inter-byte timeout) ends a frame', () => {
    const f = new SuffixFramer('none');
    expect(f.push(enc('ABC\r\n123'))).toEqual([]);
    const fr = f.flush();
    expect(fr?.terminatedBy).toBe('timeout');
    expect(new TextDecoder().decode(fr!.bytes)).toBe('ABC\r\n123');
    expect(f.flush()).toBeUndefined();
  });

  it('cuts an over-long line at the limit, reports it once, and drops the rest until the suffix', () => {
    const f = new SuffixFramer('CR', 16);
    const frames = f.push(enc('X'.repeat(40) + '\rOK12\r'));
    expect(frames.map((x) => x.terminatedBy)).toEqual(['overflow', 'suffix']);
    expect(frames[0]!.bytes.length).toBe(16);
    expect(new TextDecoder().decode(frames[1]!.bytes)).toBe('OK12');
    expect(f.discardedBytes).toBe(24);
  });

  it('passes NUL bytes and invalid UTF-8 through untouched (the journal keeps raw bytes)', () => {
    const f = new SuffixFramer('CR');
    const [fr] = f.push(Uint8Array.from([0x41, 0x00, 0xff, 0xfe, 0x0d]));
    expect(Array.from(fr!.bytes)).toEqual([0x41, 0x00, 0xff, 0xfe]);
  });
});
