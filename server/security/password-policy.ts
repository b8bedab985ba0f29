import type { Localized } from '../contract/views.js';

/**
 * Gansu notice §四 and DOMAIN §9: passwords mix upper case, lower case, digits and symbols and
 * are at least 8 characters long. Checked on every set and change (bootstrap, admin reset, self
 * change). The maximum bounds argon2 work per request and matches the login schema.
 */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export type PasswordProblem = 'too_short' | 'too_long' | 'no_upper' | 'no_lower' | 'no_digit' | 'no_symbol' | 'control_char' | 'contains_username';

export const PASSWORD_PROBLEM_MESSAGES: Record<PasswordProblem, Localized> = {
  too_short: { 'zh-CN': `密码至少 ${PASSWORD_MIN_LENGTH} 位`, en: `The password must have at least ${PASSWORD_MIN_LENGTH} characters` },
  too_long: { 'zh-CN': `密码最多 ${PASSWORD_MAX_LENGTH} 位`, en: `The password must have at most ${PASSWORD_MAX_LENGTH} characters` },
  no_upper: { 'zh-CN': '密码须包含大写字母', en: 'The password must contain an upper-case letter' },
  no_lower: { 'zh-CN': '密码须包含小写字母', en: 'The password must contain a lower-case letter' },
  no_digit: { 'zh-CN': '密码须包含数字', en: 'The password must contain a digit' },
  no_symbol: { 'zh-CN': '密码须包含符号（如 !@#$%）', en: 'The password must contain a symbol (such as !@#$%)' },
  control_char: { 'zh-CN': '密码不能包含控制字符', en: 'The password must not contain control characters' },
  contains_username: { 'zh-CN': '密码不能包含用户名', en: 'The password must not contain the user name' },
};

export type PasswordCheck = { ok: true } | { ok: false; problems: PasswordProblem[] };

export function checkPassword(password: string, options: { username?: string } = {}): PasswordCheck {
  const problems: PasswordProblem[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) problems.push('too_short');
  if (length > PASSWORD_MAX_LENGTH) problems.push('too_long');
  if (!/[A-Z]/.test(password)) problems.push('no_upper');
  if (!/[a-z]/.test(password)) problems.push('no_lower');
  if (!/[0-9]/.test(password)) problems.push('no_digit');
  // A symbol is any visible character that is neither an ASCII letter nor a digit (全角符号 count too).
  if (!/[^A-Za-z0-9\s\p{Cc}]/u.test(password)) problems.push('no_symbol');
  if (/\p{Cc}/u.test(password)) problems.push('control_char');
  const user = options.username?.trim().toLowerCase();
  if (user && user.length >= 3 && password.toLowerCase().includes(user)) problems.push('contains_username');
  return problems.length ? { ok: false, problems } : { ok: true };
}

export function passwordProblemMessages(problems: readonly PasswordProblem[]): Array<{ path: string; message: string; messages: Localized }> {
  return problems.map((p) => ({ path: 'password', message: PASSWORD_PROBLEM_MESSAGES[p]['zh-CN'], messages: PASSWORD_PROBLEM_MESSAGES[p] }));
}
