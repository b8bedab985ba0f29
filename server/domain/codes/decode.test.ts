import { describe, expect, it } from 'vitest';
import { decodeScan, decodeScanGeneral, MAX_SCAN_LENGTH } from './decode.js';
import { isReasonCode } from './reasons.js';
import type { DecodedScan } from './types.js';

const now = new Date('2025-06-01T12:00:00');
const dec = (s: string | Uint8Array, expect?: 'trace' | 'any'): DecodedScan => decodeScan(s, { now, ...(expect ? { expect } : {}) });

describe('20-digit drug trace codes (DOMAIN.md §2.1)', () => {
  it('decodes shape, prefix, serial part and identity', () => {
    expect(dec('83857930000879766660')).toEqual({
      input: '83857930000879766660',
      kind: 'trace20',
      valid: true,
      traceCode: '83857930000879766660',
      prefix: '8385793',
      serial: '000087976',
      checkPart: '6660',
      special: false,
      identity: '83857930000879766660',
    });
  });
  it('flags special-control drugs (prefix 89)', () => {
    expect(dec('89123456789012345678')).toMatchObject({ kind: 'trace20', valid: true, special: true, prefix: '8912345' });
  });
  it('accepts the label forms people key in, keeping the input as typed', () => {
    for (const v of ['药品标识码：8385793 序列号：0000879766660', '8385793-0000879766660', ']C083857930000879766660\r\n']) {
      const r = dec(v);
      expect(r).toMatchObject({ kind: 'trace20', valid: true, traceCode: '83857930000879766660', input: v });
    }
  });
  it.each([
    ['8385793000087976666', 'trace_wrong_length'],
    ['838579300008797666601', 'trace_wrong_length'],
    ['8385793-000087976666', 'trace_wrong_length'],
    ['838579300008797666O0', 'trace_not_digit'],
    ['63857930000879766660', 'trace_bad_first_digit'],
  ])('rejects %s with %s', (v, reason) => {
    const r = dec(v);
    expect(r).toMatchObject({ kind: 'trace20', valid: false, reason });
    expect(r.traceCode).toBeUndefined();
    expect(r.identity).toBeUndefined();
  });
});

describe('product barcodes and SSCC (DOMAIN.md §2.2, §2.3)', () => {
  it.each(['4006381333931', '09506000134352', '6901234567892', '96385074', '16901234567899'])('commodity %s, GTIN-14 normalised', (g) => {
    const r = dec(g);
    expect(r).toMatchObject({ kind: 'commodity', valid: true, gtin: g.padStart(14, '0') });
    expect(r.identity).toBeUndefined();
  });
  it.each(['4006381333932', '09506000134353'])('rejects %s: check digit', (g) => {
    expect(dec(g)).toMatchObject({ kind: 'commodity', valid: false, reason: 'gtin_check_digit' });
  });
  it('refuses a product barcode where a trace code is expected', () => {
    expect(dec('6901234567892', 'trace')).toMatchObject({ kind: 'commodity', valid: false, reason: 'commodity_not_trace' });
    expect(dec(']E06901234567892', 'trace')).toMatchObject({ valid: false, reason: 'commodity_not_trace', aim: ']E0' });
    expect(dec(']d20109506000134352', 'trace')).toMatchObject({ kind: 'gs1', valid: false, reason: 'commodity_not_trace' });
    expect(dec(']d2010950600013435217281231', 'trace')).toMatchObject({ kind: 'gs1', valid: false, reason: 'gs1_no_serial' });
    expect(dec(']d2010950600013435221X1', 'trace')).toMatchObject({ valid: true, identity: '010950600013435221X1' });
    expect(dec('83857930000879766660', 'trace').valid).toBe(true);
  });
  it('decodes SSCC as 18 digits and with AI 00', () => {
    expect(dec('106141411234567897')).toMatchObject({ kind: 'sscc', valid: true, sscc: '106141411234567897', identity: '00106141411234567897' });
    expect(dec('00106141411234567897')).toMatchObject({ kind: 'sscc', valid: true, sscc: '106141411234567897' });
    expect(dec('106141411234567898')).toMatchObject({ kind: 'sscc', valid: false, reason: 'sscc_check_digit' });
    expect(dec('00106141411234567898')).toMatchObject({ kind: 'sscc', valid: false, reason: 'sscc_check_digit' });
  });
  it('reads GS1 data a keyboard-mode scanner sent without AIM or separators', () => {
    expect(dec('0109506000134352172812311012345')).toMatchObject({ kind: 'gs1', valid: true, batch: '12345', expiry: '2028-12-31' });
    expect(dec('010950600013435210AB12')).toMatchObject({ kind: 'gs1', valid: true, batch: 'AB12' });
  });
});

describe('NHSA, MA UDI and unknown codes', () => {
  it('recognises NHSA drug and consumable codes by shape', () => {
    expect(dec('XA01ABD075A002010100483')).toMatchObject({ kind: 'nhsa-drug', valid: true, nhsaCode: 'XA01ABD075A002010100483' });
    expect(dec('ZA01AAA0123010100016')).toMatchObject({ kind: 'nhsa-drug', valid: true });
    expect(dec('XA01ABD075A00201010048')).toMatchObject({ kind: 'nhsa-drug', valid: false, reason: 'nhsa_drug_bad_format' });
    expect(dec('C1234567890123456789')).toMatchObject({ kind: 'nhsa-consumable', valid: true });
    expect(dec('C12345678901234567890123456')).toMatchObject({ kind: 'nhsa-consumable', valid: true });
    expect(dec('C12345678901234567890')).toMatchObject({ kind: 'nhsa-consumable', valid: false, reason: 'nhsa_consumable_bad_format' });
    expect(dec('XA01ABD075A002010100483', 'trace')).toMatchObject({ valid: false, reason: 'nhsa_not_trace' });
  });
  it('decodes MA device identifiers', () => {
    expect(dec('MA.156.M0.100012.10012018020001.S1811220001.M181122.E20221121.L12345')).toMatchObject({
      kind: 'udi-ma', valid: true, udiDi: 'MA.156.M0.100012.10012018020001', serial: '1811220001', batch: '12345', productionDate: '2018-11-22', expiry: '2022-11-21',
    });
    expect(dec('MA.156.M0.100012')).toMatchObject({ kind: 'udi-ma', valid: false, reason: 'udi_ma_bad_format' });
    expect(dec('MA.156.M0.100012.1001.E20221131')).toMatchObject({ kind: 'udi-ma', valid: false, reason: 'udi_ma_bad_format', udiDi: 'MA.156.M0.100012.1001' });
  });
  it('answers unknown with a reason for anything else', () => {
    expect(dec('hello world')).toMatchObject({ kind: 'unknown', valid: false, reason: 'unknown_format' });
    expect(dec('12345')).toMatchObject({ kind: 'unknown', valid: false, reason: 'unknown_format' });
  });
});

describe('bad input never crashes (issue 3 "Bad input")', () => {
  it('empty and blank lines', () => {
    for (const v of ['', '   ', '\r\n', '\t', ']d2']) expect(dec(v)).toMatchObject({ kind: 'unknown', valid: false, reason: 'empty' });
  });
  it('control characters', () => {
    expect(dec('8385793\x000000879766660x')).toMatchObject({ kind: 'unknown', reason: 'control_chars' });
    expect(dec('\x1b[A')).toMatchObject({ kind: 'unknown', reason: 'control_chars' });
  });
  it('invalid UTF-8 bytes, keeping the text with replacement characters', () => {
    const r = dec(new Uint8Array([0x38, 0x33, 0xff, 0xfe, 0x38]));
    expect(r).toMatchObject({ kind: 'unknown', valid: false, reason: 'invalid_utf8', input: '83\ufffd\ufffd8' });
    expect(dec(new TextEncoder().encode('83857930000879766660'))).toMatchObject({ kind: 'trace20', valid: true });
    expect(dec(new TextEncoder().encode('药品标识码：8385793 序列号：0000879766660')).valid).toBe(true);
  });
  it('a 1 MB line is answered at once', () => {
    const big = '8'.repeat(1 << 20);
    const t0 = performance.now();
    const r = dec(big);
    expect(r).toMatchObject({ kind: 'unknown', valid: false, reason: 'too_long' });
    expect(r.input.length).toBe(1 << 20);
    expect(r.message?.en).toContain(String(1 << 20));
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(dec('0'.repeat(MAX_SCAN_LENGTH)).reason).not.toBe('too_long');
  });
  it('non-string input from untyped callers', () => {
    expect(decodeScan(null as unknown as string)).toMatchObject({ kind: 'unknown', valid: false });
    expect(decodeScan(12345 as unknown as string).reason).toBe('unknown_format');
  });
  it('every reason is a stable code with both messages', () => {
    for (const v of ['', 'x', '\x01', '83857930000879766', '0109506000134353', '(01)', 'https://a/01/1']) {
      const r = dec(v);
      expect(isReasonCode(r.reason!)).toBe(true);
      expect(r.message?.['zh-CN']).toMatch(/\S/);
      expect(r.message?.en).toMatch(/\S/);
      expect(decodeScanGeneral(v, { now })).toEqual(r);
    }
  });
});
