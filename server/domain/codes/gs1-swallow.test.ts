import { describe, expect, it } from 'vitest';
import { decodeScan, decodeScanGeneral } from './decode.js';

const now = new Date('2025-06-01T12:00:00');
const GS = '\x1d';

describe('a variable-length field that swallowed further AIs (DOMAIN.md §2.2)', () => {
  it('rejects when the hidden AIs carry strong evidence (expiry date the scan lacks)', () => {
    // 01 + 10 + 17 + 21 with every FNC1 lost in keyboard mode: (10) takes the rest.
    const r = decodeScan('010950600013435210AB121728123121SN9876', { now });
    expect(r).toMatchObject({ kind: 'gs1', valid: false, reason: 'gs1_suspicious_swallow', batch: 'AB121728123121SN9876' });
    expect(r.suspicious?.[0]).toContain('(10) ⊃ (17)(21)');
    expect(r.message?.en).toContain('(17)(21)');
    expect(r.identity).toBeUndefined();
  });
  it('explains an over-long field by the swallow when it finds one', () => {
    const r = decodeScan('010950600013435210ABCDEFGH1234567817281231', { now });
    expect(r.reason).toBe('gs1_suspicious_swallow');
    expect(decodeScan('0109506000134352101234567890123456789012345', { now }).reason).toBe('gs1_value_too_long');
  });
  it('warns, but accepts, for a hidden (21) the scan lacks', () => {
    const r = decodeScan(`]d20109506000134352172812311ABC21SERIAL42`.replace('1ABC', '10ABC'), { now });
    expect(r).toMatchObject({ valid: true, batch: 'ABC21SERIAL42' });
    expect(r.suspicious?.[0]).toMatch(/^gs1_suspicious_swallow: \(10\) ⊃ \(21\)/);
  });
  it('stays quiet for ordinary serials, also numeric ones, when the scan already has those AIs', () => {
    for (const serial of ['1721123121', '10AB21CD17', '98765432101234567890', '0123456789']) {
      const r = decodeScan(`]d201095060001343521728123110AB${GS}21${serial}`, { now });
      expect(r.valid, serial).toBe(true);
      expect(r.suspicious, serial).toBeUndefined();
    }
  });
  it('is never raised for the parenthesised and Digital Link forms, which delimit every field', () => {
    expect(decodeScan('(01)09506000134352(10)AB121728123121SN98', { now })).toMatchObject({ valid: true });
    expect(decodeScan('https://id.gs1.org/01/09506000134352/10/AB121728123121SN98', { now }).suspicious).toBeUndefined();
  });
  it('gives the same answer on the fast and the general path', () => {
    for (const v of ['010950600013435210AB121728123121SN9876', `]d20109506000134352172812311ABC21SERIAL42`.replace('1ABC', '10ABC'), `]d2010950600013435221X17281231`]) {
      expect(decodeScan(v, { now })).toEqual(decodeScanGeneral(v, { now }));
    }
  });
});
