import { describe, expect, it } from 'vitest';
import { WedgeDetector, type WedgeScan } from './detector.js';

function feed(d: WedgeDetector, text: string, gapMs: number, start = 1000, suffix = 'Enter'): WedgeScan[] {
  const out: WedgeScan[] = [];
  let t = start;
  for (const ch of text) {
    const r = d.key({ key: ch, time: t });
    if (r) out.push(r);
    t += gapMs;
  }
  const r = d.key({ key: suffix, time: t });
  if (r) out.push(r);
  return out;
}

describe('keyboard-wedge detector', () => {
  it('a fast burst ending in Enter is a scan', () => {
    const scans = feed(new WedgeDetector(), '83857930000879766660', 8);
    expect(scans).toEqual([{ text: '83857930000879766660', durationMs: 160 }]);
  });

  it('the same characters typed at human speed are not a scan', () => {
    expect(feed(new WedgeDetector(), '83857930000879766660', 140)).toEqual([]);
  });

  it('a person typing just before a scan does not leak into it', () => {
    const d = new WedgeDetector();
    feed(d, 'ab', 200, 0, 'Shift'); // slow typing, no suffix
    expect(feed(d, '6957842208856', 5, 5000)).toEqual([{ text: '6957842208856', durationMs: 65 }]);
  });

  it('a too-short burst (a fast double tap + Enter) is not a scan', () => {
    expect(feed(new WedgeDetector(), '12', 5)).toEqual([]);
  });

  it('Ctrl+] inside the burst becomes GS; modifier keys produce nothing', () => {
    const d = new WedgeDetector();
    const keys = [
      { key: '0', time: 0 },
      { key: '1', time: 5 },
      { key: 'Control', time: 8, ctrlKey: true },
      { key: ']', time: 10, ctrlKey: true },
      { key: 'Shift', time: 12 },
      { key: 'A', time: 15 },
    ];
    keys.forEach((k) => d.key(k));
    expect(d.key({ key: 'Enter', time: 20 })).toEqual({ text: '01\x1dA', durationMs: 20 });
  });

  it('honours a configured suffix key (Tab)', () => {
    expect(feed(new WedgeDetector({ suffixKeys: ['Tab'] }), 'ABCDEF', 5, 0, 'Tab')).toHaveLength(1);
    expect(feed(new WedgeDetector({ suffixKeys: ['Tab'] }), 'ABCDEF', 5, 0, 'Enter')).toEqual([]);
  });
});
