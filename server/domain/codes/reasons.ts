import type { LocalizedMessage } from './types.js';

/**
 * Stable reason codes. They are stored with every rejected scan and shown to support staff,
 * so never rename one; add new ones instead. `{ai}`, `{value}` and `{detail}` are filled in.
 */
const MESSAGES = {
  // general
  empty: ['空白扫描：没有读到任何内容，请重新扫描。', 'Empty scan: nothing was read. Scan again.'],
  invalid_utf8: ['扫描数据含有乱码（不是有效的 UTF-8 文本），请检查扫码枪的编码设置。', 'The scan contains garbled bytes (not valid UTF-8). Check the scanner encoding setting.'],
  control_chars: ['扫描数据含有不可见的控制字符，可能是扫码枪设置错误，请重新扫描。', 'The scan contains invisible control characters (scanner misconfigured?). Scan again.'],
  too_long: ['扫描内容过长（{detail} 个字符），不是条码内容。', 'The scan is far too long ({detail} characters) to be a barcode.'],
  unknown_format: ['无法识别的条码：不是追溯码、GS1 码、商品码或医保编码。', 'Unrecognised barcode: not a trace code, GS1 code, product barcode or NHSA code.'],
  internal_error: ['解码程序内部错误，请把这条扫描内容交给技术支持。', 'Internal decoder error. Please pass this scan to support.'],
  // 20-digit drug trace code
  trace_wrong_length: ['追溯码位数不对：应为 20 位数字，读到 {detail} 位。可能漏扫或多扫了数字。', 'Trace code has the wrong length: 20 digits expected, {detail} read. Digits may be missing or extra.'],
  trace_not_digit: ['追溯码只能是数字，这里含有字母或符号：{detail}。', 'A trace code is digits only; this one contains letters or symbols: {detail}.'],
  trace_bad_first_digit: ['这是 20 位数字，但不是药品追溯码（追溯码以 8 开头）。', 'This is 20 digits but not a drug trace code (trace codes start with 8).'],
  // product barcodes and GS1 keys
  gtin_check_digit: ['商品条码（GTIN）校验位错误：{value}。条码可能印刷或读取有误。', 'Product barcode (GTIN) check digit is wrong: {value}. Misprint or misread.'],
  sscc_check_digit: ['物流箱码（SSCC）校验位错误：{value}。', 'Logistic unit code (SSCC) check digit is wrong: {value}.'],
  gln_check_digit: ['位置码（GLN）校验位错误：{value}。', 'Location code (GLN) check digit is wrong: {value}.'],
  gs1_check_digit: ['({ai}) 中的编码校验位错误：{value}。', 'The code in ({ai}) has a wrong check digit: {value}.'],
  commodity_not_trace: ['这是商品条码（只标识品种，不标识这一盒），不是追溯码。请扫描药盒上的追溯码。', 'This is a product barcode (identifies the product, not this pack), not a trace code. Scan the trace code on the pack.'],
  gs1_no_serial: ['GS1 码没有序列号 (21)，不能标识单个药盒。请扫描带序列号的二维码。', 'This GS1 code has no serial number (21), so it does not identify one pack. Scan the code that carries the serial.'],
  nhsa_not_trace: ['这是医保编码（标识品种），不是追溯码。', 'This is an NHSA catalogue code (identifies the product), not a trace code.'],
  // GS1 element strings
  gs1_unknown_ai: ['GS1 码中有未知的应用标识符 ({ai})。', 'Unknown GS1 application identifier ({ai}).'],
  gs1_truncated: ['GS1 码不完整：({ai}) 后面的数据缺失，可能没扫全。', 'GS1 code is cut short: data after ({ai}) is missing. Incomplete scan?'],
  gs1_empty_value: ['GS1 码中 ({ai}) 没有内容。', 'GS1 field ({ai}) is empty.'],
  gs1_value_too_short: ['GS1 码中 ({ai}) 的内容太短：{value}。', 'GS1 field ({ai}) is too short: {value}.'],
  gs1_value_too_long: ['GS1 码中 ({ai}) 的内容太长：{value}。', 'GS1 field ({ai}) is too long: {value}.'],
  gs1_not_numeric: ['GS1 码中 ({ai}) 只能是数字：{value}。', 'GS1 field ({ai}) must be digits only: {value}.'],
  gs1_bad_character: ['GS1 码中 ({ai}) 含有不允许的字符：{value}。', 'GS1 field ({ai}) contains a character that is not allowed: {value}.'],
  gs1_invalid_date: ['GS1 码中 ({ai}) 的日期无效：{value}。', 'GS1 field ({ai}) holds an invalid date: {value}.'],
  gs1_invalid_time: ['GS1 码中 ({ai}) 的时间无效：{value}。', 'GS1 field ({ai}) holds an invalid time: {value}.'],
  gs1_invalid_value: ['GS1 码中 ({ai}) 的内容不符合规定：{value}。', 'GS1 field ({ai}) does not follow its rule: {value}.'],
  gs1_duplicate_ai: ['GS1 码中 ({ai}) 出现了两次且内容不同。', 'GS1 field ({ai}) appears twice with different values.'],
  gs1_missing_required_ai: ['GS1 码中 ({ai}) 必须和 {detail} 一起出现。', 'GS1 field ({ai}) requires {detail} in the same code.'],
  gs1_invalid_ai_combination: ['GS1 码中 ({ai}) 不能和 ({detail}) 同时出现。', 'GS1 fields ({ai}) and ({detail}) must not appear together.'],
  gs1_suspicious_swallow: ['GS1 码中 ({ai}) 的内容里似乎还藏着其他字段 {detail}：扫码枪可能丢失了分隔符（FNC1/GS）。请检查扫码枪设置后重扫。', 'GS1 field ({ai}) seems to contain further fields {detail}: the scanner probably dropped the FNC1/GS separator. Check the scanner setup and scan again.'],
  gs1_bad_parentheses: ['带括号的 GS1 文本格式不对：{detail}。', 'Bracketed GS1 text is malformed: {detail}.'],
  gs1_bad_digital_link: ['GS1 数字链接（网址）格式不对：{detail}。', 'GS1 Digital Link URI is malformed: {detail}.'],
  url_not_gs1: ['这是一个网址，但不是 GS1 数字链接，不含药品信息。', 'This is a web address, not a GS1 Digital Link; it carries no product data.'],
  // NHSA and device codes
  nhsa_drug_bad_format: ['医保药品编码格式不对：西药为 X 开头共 23 位，中成药为 Z 开头共 20 位。', 'NHSA drug code malformed: western drugs are X + 22 characters, patent medicines Z + 19.'],
  nhsa_consumable_bad_format: ['医保耗材编码格式不对：应为 C 加 19 位或 26 位数字。', 'NHSA consumable code malformed: C followed by 19 or 26 digits expected.'],
  udi_ma_bad_format: ['MA 医疗器械标识格式不对：{detail}。', 'MA device identifier malformed: {detail}.'],
  // stand-alone validators
  uscc_wrong_length: ['统一社会信用代码应为 18 位。', 'A Unified Social Credit Code has 18 characters.'],
  uscc_bad_character: ['统一社会信用代码含有不允许的字符（不使用 I、O、Z、S、V）。', 'The credit code contains a character that is not allowed (I, O, Z, S, V are never used).'],
  uscc_org_code_check: ['统一社会信用代码第 9–17 位（组织机构代码）校验错误。', 'Characters 9–17 (organisation code) of the credit code fail their check.'],
  uscc_check_char: ['统一社会信用代码最后一位校验码错误。', 'The last (check) character of the credit code is wrong.'],
  id_wrong_length: ['身份证号码应为 18 位（旧证 15 位）。', 'An ID number has 18 characters (15 on old cards).'],
  id_bad_character: ['身份证号码只能是数字，最后一位可以是 X。', 'An ID number is digits only; the last one may be X.'],
  id_bad_region: ['身份证号码前两位不是有效的省份代码。', 'The first two digits of the ID number are not a valid province code.'],
  id_bad_birth_date: ['身份证号码中的出生日期无效。', 'The birth date inside the ID number is not a real date.'],
  id_check_char: ['身份证号码最后一位校验码错误，请核对号码。', 'The check character of the ID number is wrong; check the number.'],
  approval_bad_format: ['批准文号格式不对，例如：国药准字H20003456。', 'Approval number malformed; example: 国药准字H20003456.'],
} as const satisfies Record<string, readonly [string, string]>;

export type ReasonCode = keyof typeof MESSAGES;

export const REASON_CODES = Object.keys(MESSAGES) as ReasonCode[];

export interface ReasonDetail {
  ai?: string;
  value?: string;
  detail?: string;
}

function fill(template: string, d: ReasonDetail | undefined): string {
  if (d === undefined || template.indexOf('{') < 0) return template;
  return template.replace(/\{(ai|value|detail)\}/g, (_m, k: 'ai' | 'value' | 'detail') => shorten(d[k] ?? ''));
}

/** Keeps messages readable when the offending value is a 1 MB line. */
function shorten(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

export function reasonMessage(code: ReasonCode, detail?: ReasonDetail): LocalizedMessage {
  const [zh, en] = MESSAGES[code];
  return { 'zh-CN': fill(zh, detail), en: fill(en, detail) };
}

export function isReasonCode(s: string): s is ReasonCode {
  return Object.prototype.hasOwnProperty.call(MESSAGES, s);
}
