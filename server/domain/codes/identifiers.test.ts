import { describe, expect, it } from 'vitest';
import { validateApprovalNumber } from './approval-number.js';
import { validateNhsaConsumableCode, validateNhsaDrugCode } from './nhsa.js';
import { convertResidentId15To18, maskResidentId, residentIdCheckChar, validateResidentId } from './resident-id.js';
import { orgCodeCheckChar, usccCheckChar, validateUscc } from './uscc.js';
import { parseMaUdi } from './udi-ma.js';

describe('Unified Social Credit Code (GB 32100, DOMAIN.md §2.3)', () => {
  it.each(['91350100M000100Y43', '91110000600037341L', '９１３５０１００Ｍ０００１００Ｙ４３', '91350100m000100y43'])('accepts %s', (c) => {
    expect(validateUscc(c)).toMatchObject({ valid: true });
  });
  it('rejects the DOMAIN.md invalid vector by its check character', () => {
    expect(validateUscc('91440300MA5FXXXX0X')).toMatchObject({ valid: false, reason: 'uscc_check_char' });
  });
  it('checks both check characters, length and charset', () => {
    expect(usccCheckChar('91350100M000100Y4')).toBe('3');
    expect(orgCodeCheckChar('M000100Y')).toBe('4');
    expect(orgCodeCheckChar('60003734')).toBe('1');
    // Position 18 recomputed for a wrong organisation-code check character: only the inner check fails.
    const body = '91350100M000100Y5';
    expect(validateUscc(body + usccCheckChar(body)!)).toMatchObject({ valid: false, reason: 'uscc_org_code_check' });
    expect(validateUscc('91350100M000100Y4')).toMatchObject({ valid: false, reason: 'uscc_wrong_length' });
    expect(validateUscc('91350100M000100I43')).toMatchObject({ valid: false, reason: 'uscc_bad_character' });
  });
});

describe('resident ID numbers (GB 11643, DOMAIN.md §2.3)', () => {
  const now = new Date('2025-06-01T12:00:00');
  it.each(['11010519491231002X', '62010219900307123X', '11010519491231002x'])('accepts %s', (id) => {
    expect(validateResidentId(id, { now })).toMatchObject({ valid: true });
  });
  it('reads birth date and sex', () => {
    expect(validateResidentId('62010219900307123X', { now })).toMatchObject({ birthDate: '1990-03-07', sex: 'M' });
    expect(validateResidentId('11010519491231002X', { now })).toMatchObject({ birthDate: '1949-12-31', sex: 'F' });
  });
  it('rejects the DOMAIN.md invalid vector by its check character', () => {
    expect(validateResidentId('110105194912310021', { now })).toMatchObject({ valid: false, reason: 'id_check_char' });
  });
  it('rejects bad regions, impossible or future birth dates, bad shapes', () => {
    const withCheck = (b: string): string => b + residentIdCheckChar(b)!;
    expect(validateResidentId(withCheck('99010519491231002'), { now }).reason).toBe('id_bad_region');
    expect(validateResidentId(withCheck('11010519490231002'), { now }).reason).toBe('id_bad_birth_date');
    expect(validateResidentId(withCheck('11010520300101002'), { now }).reason).toBe('id_bad_birth_date');
    expect(validateResidentId('1101051949123100', { now }).reason).toBe('id_wrong_length');
    expect(validateResidentId('1101051949123100XX', { now }).reason).toBe('id_bad_character');
  });
  it('converts 15-digit legacy numbers to 18', () => {
    expect(convertResidentId15To18('110105491231002')).toBe('11010519491231002X');
    expect(validateResidentId('110105491231002', { now })).toMatchObject({ valid: true, id18: '11010519491231002X' });
    expect(convertResidentId15To18('11010549123100')).toBeUndefined();
  });
  it('masks for display', () => {
    expect(maskResidentId('62010219900307123X')).toBe('620102********123X');
    expect(maskResidentId('110105491231002')).toBe('110105*****1002');
  });
});

describe('approval numbers, NHSA codes, MA UDI', () => {
  it.each([
    ['国药准字H20003456', 'H', false],
    ['国药准字 Ｚ２００２５０３１', 'Z', false],
    ['国药准字SJ20170001', 'S', false],
    ['国药准字J20150012', 'J', false],
    ['H20140321', 'H', true],
    ['BH20140321', 'H', true],
    ['SC20140321', 'S', true],
  ])('accepts approval number %s', (a, category, imported) => {
    expect(validateApprovalNumber(a)).toMatchObject({ valid: true, category, imported });
  });
  it.each(['国药准字X20003456', '国药准字H2000345', '药准字H20003456', 'HH20140321'])('rejects approval number %s', (a) => {
    expect(validateApprovalNumber(a)).toMatchObject({ valid: false, reason: 'approval_bad_format' });
  });
  it('NHSA shapes', () => {
    expect(validateNhsaDrugCode('xa01abd075a002010100483').valid).toBe(true);
    expect(validateNhsaDrugCode('XA01ABD075A0020101004-3').valid).toBe(false);
    expect(validateNhsaConsumableCode('C1234567890123456789').valid).toBe(true);
    expect(validateNhsaConsumableCode('C123456789012345678X').valid).toBe(false);
  });
  it('MA UDI units and dates', () => {
    expect(parseMaUdi('MA.156.M0.100012.1001.L7.S9.M20240115.V260101', 2025)).toEqual({
      ok: true,
      udi: { di: 'MA.156.M0.100012.1001', batch: '7', serial: '9', productionDate: '2024-01-15', expiry: '2026-01-01' },
    });
    expect(parseMaUdi('MA.156.M0.100012.1001.Q7', 2025)).toMatchObject({ ok: false });
    expect(parseMaUdi('MA.15.M0.100012.1001', 2025)).toMatchObject({ ok: false });
  });
});
