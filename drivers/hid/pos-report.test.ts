import { describe, expect, it } from 'vitest';
import { parsePosReport, PosReportAssembler } from './pos-report.js';

// DOMAIN.md §10: Honeywell final packet → AIM ]Z6, data "REVINF\x06.", code id '6'.
const honeywell = Uint8Array.from([2, 8, 93, 90, 54, 82, 69, 86, 73, 78, 70, 6, 46, ...new Array(48).fill(0), 54, 0, 0]);

function report(data: string, more: boolean, aim = ']d2', withId = true): Uint8Array {
  const bytes = new TextEncoder().encode(data);
  const r = new Uint8Array(withId ? 64 : 63);
  let o = 0;
  if (withId) r[o++] = 2;
  r[o++] = bytes.length;
  for (const c of aim) r[o++] = c.charCodeAt(0);
  r.set(bytes, o);
  r[r.length - 3] = 0x77; // vendor code id 'w' (DataMatrix on Honeywell)
  r[r.length - 1] = more ? 1 : 0;
  return r;
}

describe('HID POS scanned-data report', () => {
  it('decodes the Honeywell vector with its report id', () => {
    expect(honeywell.length).toBe(64);
    const r = parsePosReport(honeywell);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.report.aim).toBe(']Z6');
    expect(new TextDecoder().decode(r.report.data)).toBe('REVINF\x06.');
    expect(String.fromCharCode(r.report.codeId)).toBe('6');
    expect(r.report.more).toBe(false);
  });

  it('decodes the same report when the backend stripped the report id (WebHID)', () => {
    const r = parsePosReport(honeywell.subarray(1));
    expect(r.ok && new TextDecoder().decode(r.report.data)).toBe('REVINF\x06.');
    expect(r.ok && r.report.aim).toBe(']Z6');
  });

  it('joins a two-report continuation into one scan, AIM and code id from the first', () => {
    const gs1 = '010950600013435217281231' + '10AB12\x1d21' + 'SN'.repeat(20) + '9876';
    const first = gs1.slice(0, 56);
    const second = gs1.slice(56);
    const asm = new PosReportAssembler();
    expect(asm.push(report(first, true))).toEqual({});
    const { scan } = asm.push(report(second, false, ']d2'));
    expect(scan).toBeDefined();
    expect(new TextDecoder().decode(scan!.bytes)).toBe(gs1);
    expect(scan!.aim).toBe(']d2');
    expect(scan!.codeId).toBe('w');
    expect(scan!.reports).toBe(2);
  });

  it('rejects a length byte larger than the report can hold, without throwing', () => {
    const bad = honeywell.slice();
    bad[1] = 200;
    const r = parsePosReport(bad);
    expect(r.ok).toBe(false);
    expect(new PosReportAssembler().push(bad).error).toMatch(/length byte 200/);
  });

  it('rejects reports too short to be scanned data', () => {
    expect(parsePosReport(Uint8Array.from([2, 1, 93])).ok).toBe(false);
  });
});
