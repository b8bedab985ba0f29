import { describe, expect, it } from 'vitest';
import { formatDecodedJson } from './cli-json.js';
import { decodeScan } from './decode.js';

const now = new Date('2025-06-01T12:00:00');

describe('decode CLI JSON (DESIGN.md §3)', () => {
  it('lists the contract fields in order and the AIs in scan order', () => {
    const line = formatDecodedJson(decodeScan(']d2010950600013435217281231' + '10AB\x1d21S1', { now }));
    expect(line).toBe(
      '{"input":"]d2010950600013435217281231' + '10AB\\u001d21S1","kind":"gs1","valid":true,"aim":"]d2","gtin":"09506000134352",' +
        '"serial":"S1","batch":"AB","expiry":"2028-12-31","ais":{"01":"09506000134352","17":"281231","10":"AB","21":"S1"}}',
    );
  });
  it('adds message and warnings for support staff unless only the contract is asked for', () => {
    const r = decodeScan('4006381333932', { now });
    expect(JSON.parse(formatDecodedJson(r))).toMatchObject({ kind: 'commodity', valid: false, reason: 'gtin_check_digit', message: { en: expect.any(String) } });
    expect(Object.keys(JSON.parse(formatDecodedJson(r, { contract: true })))).toEqual(['input', 'kind', 'valid', 'reason']);
  });
  it('writes trace codes with prefix and special flag, and never identity or internals', () => {
    const o = JSON.parse(formatDecodedJson(decodeScan('89123456789012345678', { now }))) as Record<string, unknown>;
    expect(o).toEqual({ input: '89123456789012345678', kind: 'trace20', valid: true, serial: '678901234', traceCode: '89123456789012345678', prefix: '8912345', special: true });
  });
});
