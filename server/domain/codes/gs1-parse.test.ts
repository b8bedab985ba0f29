import { describe, expect, it } from 'vitest';
import { decodeScan, decodeScanGeneral } from './decode.js';
import type { DecodedScan } from './types.js';

const GS = '\x1d';
const now = new Date('2025-06-01T12:00:00');
const dec = (s: string): DecodedScan => decodeScan(s, { now });

describe('raw GS1 element strings', () => {
  it('decodes a pharmaceutical DataMatrix with FNC1 after variable fields', () => {
    const r = dec(`]d2${GS}0109506000134352172812311011AB12${GS}21SN9876`);
    expect(r).toMatchObject({
      kind: 'gs1',
      valid: true,
      aim: ']d2',
      gtin: '09506000134352',
      expiry: '2028-12-31',
      batch: '11AB12',
      serial: 'SN9876',
      identity: '010950600013435221SN9876',
      ais: { '01': '09506000134352', '17': '281231', '10': '11AB12', '21': 'SN9876' },
    });
    expect(r.aiOrder).toEqual(['01', '17', '10', '21']);
    expect(r.reason).toBeUndefined();
  });
  it('tolerates a separator after a predefined-length field, doubled and trailing ones', () => {
    const r = dec(`0109506000134352${GS}17281231${GS}${GS}10AB${GS}`);
    expect(r).toMatchObject({ valid: true, gtin: '09506000134352', batch: 'AB', expiry: '2028-12-31' });
  });
  it('reads DD = 00 expiry and a production date', () => {
    const r = dec(`]C1010950600013435217280200112401151021`);
    expect(r).toMatchObject({ valid: true, expiry: '2028-02-29', productionDate: '2024-01-15', batch: '21' });
  });
  it('takes the expiry date from (7003) when (17) is absent', () => {
    expect(dec(`]d2010950600013435270032812311530${GS}21X`)).toMatchObject({ valid: true, expiry: '2028-12-31' });
  });
  it('decodes a pallet label as kind sscc', () => {
    const r = dec(`]C100106141411234567897020950600013435237100${GS}10LOT7`);
    expect(r).toMatchObject({ kind: 'sscc', valid: true, sscc: '106141411234567897', identity: '00106141411234567897' });
    expect(r.ais).toEqual({ '00': '106141411234567897', '02': '09506000134352', '37': '100', '10': 'LOT7' });
  });
  it('validates every AI of the table it meets: measures, GLNs, country codes, CSET 39', () => {
    const ok = dec(`]C1010950600013435231030012504104006381333931422156${GS}40030${GS}8010ABC-123#/${GS}4307CN`);
    expect(ok.valid).toBe(true);
    expect(ok.ais?.['3103']).toBe('001250');
  });
});

describe('rejections name the reason and the AI', () => {
  const cases: [string, string, string?][] = [
    [`0109506000134353`, 'gtin_check_digit', '01'],
    [`]C100106141411234567898`, 'sscc_check_digit', '00'],
    [`]C10109506000134352${GS}4104006381333932`, 'gln_check_digit', '410'],
    [`]d20109506000134352172813311021`, 'gs1_invalid_date', '17'],
    [`]d2010950600013435217250229`, 'gs1_invalid_date', '17'],
    [`]d2010950600013435270032812312460`, 'gs1_invalid_time', '7003'],
    [`]d2010950600013435210AB~12`, 'gs1_bad_character', '10'],
    [`]d20109506000134352310300125X`, 'gs1_not_numeric', '3103'],
    [`]d20109506000134352${GS}1912345`, 'gs1_unknown_ai', '19'],
    [`]d2010950600013435`, 'gs1_value_too_short', '01'],
    [`]d2010950600013435210`, 'gs1_truncated', '10'],
    [`]d2010950600013435210${GS}21X`, 'gs1_empty_value', '10'],
    [`]d20109506000134352101234567890123456789012`, 'gs1_value_too_long', '10'],
    [`]d201095060001343521710010121X${GS}17281231`, 'gs1_duplicate_ai', '17'],
    [`]d2010950600013435202095060001343523710`, 'gs1_invalid_ai_combination', '01'],
    [`]d20109506000134352310300125031030012`, 'gs1_value_too_short', '3103'],
    [`]d2010950600013435231030012503102001250`, 'gs1_invalid_ai_combination', '3103'],
    [`]d2010950600013435243212`, 'gs1_invalid_value', '4321'],
    [`]d2010950600013435280131987654Ad4X4bL5ttr2311c2K`, 'gs1_check_digit', '8013'],
    [`]d20109506000134352${GS}4307XX`, 'gs1_invalid_value', '4307'],
  ];
  it.each(cases)('%j → %s', (input, reason, ai) => {
    const r = dec(input);
    expect(r.valid).toBe(false);
    expect(r.reason).toBe(reason);
    expect(r.kind === 'gs1' || r.kind === 'sscc').toBe(true);
    expect(r.message?.['zh-CN']).toMatch(/./);
    if (ai && reason.startsWith('gs1_')) expect(`${r.message?.en}${r.message?.['zh-CN']}`).toContain(`(${ai})`);
    expect(decodeScanGeneral(input, { now })).toEqual(r);
  });
  it('keeps what was parsed before the bad field, for support staff', () => {
    const r = dec(`]d20109506000134352172813311021`);
    expect(r.ais).toEqual({ '01': '09506000134352', '17': '281331' });
    expect(r.gtin).toBe('09506000134352');
    expect(r.expiry).toBeUndefined();
    expect(r.identity).toBeUndefined();
  });
  it('warns, without rejecting, when a partner AI is missing (labels may split AIs over symbols)', () => {
    const r = dec(`]C11728123110LOT1`);
    expect(r.valid).toBe(true);
    expect(r.suspicious?.join('\n')).toMatch(/gs1_missing_required_ai: \(17\) needs \(01\)/);
  });
});
