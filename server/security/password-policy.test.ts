import { describe, expect, it } from 'vitest';
import { checkPassword } from './password-policy.js';
import { generatePassword, hashPassword, verifyPassword } from './passwords.js';

describe('password policy (Gansu notice §四: ≥ 8, upper, lower, digit, symbol)', () => {
  it.each(['Tr@ce2026', 'Dock#Receiving7', 'aB3$efgh', '追溯Ab1!码工作站', 'Pass word1!'])('accepts %s', (pw) => {
    expect(checkPassword(pw)).toEqual({ ok: true });
  });

  it.each([
    ['Ab1!efg', ['too_short']],
    ['abcdefg1!', ['no_upper']],
    ['ABCDEFG1!', ['no_lower']],
    ['Abcdefgh!', ['no_digit']],
    ['Abcdefgh1', ['no_symbol']],
    ['password', ['no_upper', 'no_digit', 'no_symbol']],
    ['Ab1!' + 'x'.repeat(125), ['too_long']],
    ['Ab1!efgh\u0000', ['control_char']],
  ] as const)('rejects %j with %j', (pw, problems) => {
    expect(checkPassword(pw)).toEqual({ ok: false, problems });
  });

  it('rejects a password containing the user name', () => {
    expect(checkPassword('Zhangsan#2026', { username: 'zhangsan' })).toEqual({ ok: false, problems: ['contains_username'] });
  });

  it('generated passwords always pass', () => {
    for (let i = 0; i < 200; i++) expect(checkPassword(generatePassword())).toEqual({ ok: true });
  });
});

describe('argon2id hashes', () => {
  it('hashes with argon2id and verifies only the right password', async () => {
    const h = await hashPassword('Tr@ce2026');
    expect(h.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(h, 'Tr@ce2026')).toBe(true);
    expect(await verifyPassword(h, 'Tr@ce2027')).toBe(false);
    expect(await verifyPassword('not a hash', 'Tr@ce2026')).toBe(false);
    expect(await hashPassword('Tr@ce2026')).not.toBe(h);
  });
});
