import type { LocalizedMessage } from '../codes/index.js';

/**
 * Why an ID number was refused. Stable codes (they are stored with a refused sale); add, never
 * rename. The words are for a pharmacist holding the card, so they never repeat the number or the
 * birth date (personal data ends up in logs).
 */
export const RESIDENT_ID_REASONS = ['length', 'characters', 'birth_date', 'check_digit'] as const;
export type ResidentIdReason = (typeof RESIDENT_ID_REASONS)[number];

export interface ResidentIdFacts {
  /** Characters entered, after normalisation. */
  length?: number;
}

export function residentIdMessage(reason: ResidentIdReason, facts: ResidentIdFacts = {}): LocalizedMessage {
  switch (reason) {
    case 'length':
      return facts.length
        ? { 'zh-CN': `身份证号码应为 18 位，当前输入 ${facts.length} 位`, en: `An ID card number has 18 characters; ${facts.length} entered` }
        : { 'zh-CN': '未填写身份证号码', en: 'No ID card number entered' };
    case 'characters':
      return {
        'zh-CN': '身份证号码应为 17 位数字加 1 位数字或 X，请检查是否输错字符',
        en: 'An ID card number is 17 digits followed by a digit or X; check for a mistyped character',
      };
    case 'birth_date':
      return {
        'zh-CN': '身份证号码中的出生日期（第 7–14 位）不是有效日期，请核对证件',
        en: 'The birth date in the ID number (characters 7–14) is not a valid date; check it against the card',
      };
    case 'check_digit':
      return {
        'zh-CN': '身份证号码校验位不符，号码中有输错的数字，请逐位核对证件',
        en: 'The ID number fails its check digit: a digit is wrong somewhere; compare it digit by digit with the card',
      };
  }
}
