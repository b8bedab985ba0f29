import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkResidentId, normalizeResidentId, RESIDENT_ID_REASONS } from './index.js';

const now = new Date('2026-06-01T12:00:00+08:00');

/** MOD 11-2 written out again, independently of the implementation under test. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checkChar = (body: string): string => '10X98765432'.charAt([...body].reduce((s, d, i) => s + Number(d) * WEIGHTS[i]!, 0) % 11);

describe('checkResidentId (GB 11643-1999)', () => {
  it('rejects 110105194912310021 by its check digit', () => {
    // Body 11010519491231002: 1·7 + 1·9 + 0·10 + 1·5 + 0·8 + 5·4 + 1·2 + 9·1 + 4·6 + 9·3 + 1·7 + 2·9
    // + 3·10 + 1·5 + 0·8 + 0·4 + 2·2 = 167; 167 mod 11 = 2 → check character 'X', not '1'.
    // (A final '1' would need remainder 0.) The birth date 1949-12-31 and the shape are fine.
    expect(checkChar('11010519491231002')).toBe('X');
    const r = checkResidentId('110105194912310021', { now });
    expect(r).toMatchObject({ ok: false, reason: 'check_digit' });
    if (!r.ok) expect(r.message['zh-CN']).toContain('校验位');
  });

  it('accepts 11010519491231002X and reads it', () => {
    expect(checkResidentId('11010519491231002X', { now })).toEqual({ ok: true, id: '11010519491231002X', birthDate: '1949-12-31', sex: 'F', region: '110105' });
  });

  // Computed by hand with the weights above:
  //   44030419850612001 → sum 245, 245 mod 11 = 3 → '9'  (sequence 001: odd → male)
  //   51010720000229004 → sum 172, 172 mod 11 = 7 → '5'  (a leap day)
  //   33010619771010995 → sum 286, 286 mod 11 = 0 → '1'
  //   62010219900307123 → sum 222, 222 mod 11 = 2 → 'X'
  it.each([
    ['440304198506120019', '1985-06-12', 'M'],
    ['510107200002290045', '2000-02-29', 'F'],
    ['330106197710109951', '1977-10-10', 'M'],
    ['62010219900307123X', '1990-03-07', 'M'],
  ])('accepts %s', (id, birthDate, sex) => {
    expect(checkResidentId(id, { now })).toMatchObject({ ok: true, id, birthDate, sex, region: id.slice(0, 6) });
  });

  it('tolerates full-width digits, a lower-case x and spaces, and returns the normalised number', () => {
    expect(checkResidentId('１１０１０５１９４９１２３１００２ｘ', { now })).toMatchObject({ ok: true, id: '11010519491231002X' });
    expect(checkResidentId('11010519491231002x', { now })).toMatchObject({ ok: true, id: '11010519491231002X' });
    expect(checkResidentId(' 110105 19491231 002X ', { now })).toMatchObject({ ok: true, id: '11010519491231002X' });
    expect(normalizeResidentId('１１０１０５１９４９１２３１００２ｘ')).toBe('11010519491231002X');
  });

  it('names the reason: length, characters, birth date, check digit', () => {
    const withCheck = (b: string): string => b + checkChar(b);
    expect(checkResidentId('', { now })).toMatchObject({ ok: false, reason: 'length' });
    expect(checkResidentId('110105491231002', { now })).toMatchObject({ ok: false, reason: 'length' }); // legacy 15-digit
    expect(checkResidentId('11010519491231002XX', { now })).toMatchObject({ ok: false, reason: 'length' });
    expect(checkResidentId('1101051949123100X2', { now })).toMatchObject({ ok: false, reason: 'characters' });
    expect(checkResidentId('11010519491231O02X', { now })).toMatchObject({ ok: false, reason: 'characters' });
    expect(checkResidentId(withCheck('11010519490229002'), { now })).toMatchObject({ ok: false, reason: 'birth_date' }); // 1949 no leap year
    expect(checkResidentId(withCheck('11010519491301002'), { now })).toMatchObject({ ok: false, reason: 'birth_date' });
    expect(checkResidentId(withCheck('11010518991231002'), { now })).toMatchObject({ ok: false, reason: 'birth_date' }); // before 1900
    expect(checkResidentId(withCheck('11010520260602002'), { now })).toMatchObject({ ok: false, reason: 'birth_date' }); // tomorrow
    expect(checkResidentId(withCheck('11010520260601002'), { now })).toMatchObject({ ok: true, birthDate: '2026-06-01' }); // born today
  });

  it('counts "today" in China time, whatever the server time zone', () => {
    const id = '11010520260601002' + checkChar('11010520260601002');
    // 2026-05-31T17:00Z is already 1 June 01:00 in Beijing.
    expect(checkResidentId(id, { now: new Date('2026-05-31T17:00:00Z') })).toMatchObject({ ok: true });
    expect(checkResidentId(id, { now: new Date('2026-05-31T15:00:00Z') })).toMatchObject({ ok: false, reason: 'birth_date' });
  });

  it('has words in both languages for every reason, without the number in them', () => {
    const bad: Record<string, string> = { length: '1101', characters: '1101051949123100A2', birth_date: '110105194913310021', check_digit: '110105194912310021' };
    for (const reason of RESIDENT_ID_REASONS) {
      const r = checkResidentId(bad[reason]!, { now });
      expect(r).toMatchObject({ ok: false, reason });
      if (r.ok) continue;
      expect(r.message['zh-CN'].length).toBeGreaterThan(5);
      expect(r.message.en.length).toBeGreaterThan(5);
      expect(r.message['zh-CN'] + r.message.en).not.toContain(bad[reason]!);
    }
  });

  // Bodies with a valid birth date (1900-01-01 … 2025-12-28), so only the check digit is under test.
  const body = fc
    .tuple(fc.integer({ min: 100000, max: 999999 }), fc.integer({ min: 1900, max: 2025 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.integer({ min: 0, max: 999 }))
    .map(([r, y, m, d, s]) => `${r}${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${String(s).padStart(3, '0')}`);

  it('property: a 17-digit body with its MOD 11-2 character always validates', () => {
    fc.assert(fc.property(body, (b) => checkResidentId(b + checkChar(b), { now }).ok === true));
  });

  it('property: changing any single character always fails', () => {
    fc.assert(
      fc.property(body, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 10 }), (b, pos, delta) => {
        const id = b + checkChar(b);
        const alphabet = pos === 17 ? '0123456789X' : '0123456789';
        const from = alphabet.indexOf(id.charAt(pos));
        const to = alphabet.charAt((from + delta) % alphabet.length);
        if (to === id.charAt(pos)) return true; // delta wrapped around (position 0–16 with delta 10)
        const changed = id.slice(0, pos) + to + id.slice(pos + 1);
        // MOD 11-2 detects every single-character substitution; a changed birth digit may fail earlier.
        const r = checkResidentId(changed, { now });
        return !r.ok && (r.reason === 'check_digit' || r.reason === 'birth_date');
      }),
    );
  });
});

