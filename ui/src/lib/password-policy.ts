import type { MessageKey } from '../i18n/index.svelte.js';

/**
 * The workstation's password policy (server/security/password-policy.ts), mirrored for the live
 * checklist: a value import would pull server code into the bundle. The server stays the judge.
 */
export type PasswordRule = 'length' | 'upper' | 'lower' | 'digit' | 'symbol' | 'username';

export const PASSWORD_RULES: ReadonlyArray<{ rule: PasswordRule; label: MessageKey }> = [
  { rule: 'length', label: 'password.rule.length' },
  { rule: 'upper', label: 'password.rule.upper' },
  { rule: 'lower', label: 'password.rule.lower' },
  { rule: 'digit', label: 'password.rule.digit' },
  { rule: 'symbol', label: 'password.rule.symbol' },
  { rule: 'username', label: 'password.rule.username' },
];

export function passwordRuleMet(rule: PasswordRule, password: string, username = ''): boolean {
  switch (rule) {
    case 'length':
      return [...password].length >= 8;
    case 'upper':
      return /[A-Z]/.test(password);
    case 'lower':
      return /[a-z]/.test(password);
    case 'digit':
      return /[0-9]/.test(password);
    case 'symbol':
      // Any visible character that is neither an ASCII letter nor a digit (全角符号 count too).
      return /[^A-Za-z0-9\s\p{Cc}]/u.test(password);
    case 'username': {
      const user = username.trim().toLowerCase();
      return user.length < 3 || !password.toLowerCase().includes(user);
    }
  }
}

export function passwordAcceptable(password: string, username = ''): boolean {
  return PASSWORD_RULES.every(({ rule }) => passwordRuleMet(rule, password, username));
}
