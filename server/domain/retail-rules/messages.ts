import type { LocalizedMessage } from '../codes/index.js';
import { SALE_CATEGORIES, type SaleCategory } from './categories.js';
import type { BuyerField, PrescriptionField } from './schema.js';
import type { NeedField } from './types.js';

/**
 * Words for the pharmacist at the counter. Messages say what the rule asks, what this sale has and
 * which products; they never repeat a buyer's name or ID number (messages end up in logs).
 */
const CATEGORY: Record<SaleCategory, [string, string]> = {
  YB: ['处方药', 'prescription drugs'],
  YC: ['含麻黄碱类复方制剂', 'ephedrine compounds'],
  YD: ['含麻精类复方制剂', 'narcotic/psychotropic compounds'],
};

const BUYER: Record<BuyerField, [string, string]> = {
  name: ['购药人姓名', "buyer's name"],
  idNumber: ['购药人身份证号码', "buyer's ID card number"],
  phone: ['购药人联系电话', "buyer's phone number"],
  residence: ['购药人住址', "buyer's address"],
};

const PRESCRIPTION: Record<PrescriptionField, [string, string]> = {
  number: ['处方号', 'prescription number'],
  prescriber: ['开方医师', 'prescriber'],
  hospital: ['开方医疗机构', 'hospital'],
  date: ['处方日期', 'prescription date'],
  photoRef: ['处方照片', 'photo of the prescription'],
};

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function categoryWords(cats: Iterable<SaleCategory>): [string, string] {
  const set = new Set(cats);
  const list = SALE_CATEGORIES.filter((c) => set.has(c));
  return [list.map((c) => CATEGORY[c][0]).join('、'), list.map((c) => CATEGORY[c][1]).join(' and ')];
}

/** `（新康泰克、白加黑）`; at most three names, then "等 N 种". */
function productWords(names: readonly string[]): [string, string] {
  const unique = [...new Set(names.map((n) => n.trim()).filter((n) => n !== ''))];
  if (unique.length === 0) return ['', ''];
  const shown = unique.slice(0, 3);
  const more = unique.length - shown.length;
  return [`（${shown.join('、')}${more > 0 ? ` 等 ${unique.length} 种` : ''}）`, ` (${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''})`];
}

const withReference = (m: [string, string], reference: string | undefined): LocalizedMessage =>
  reference ? { 'zh-CN': `${m[0]} — ${reference}`, en: `${m[1]} — ${reference}` } : { 'zh-CN': m[0], en: m[1] };

export function fieldWords(field: NeedField): [string, string] {
  const [group, name] = field.split('.') as ['buyer' | 'prescription', string];
  return group === 'buyer' ? BUYER[name as BuyerField] : PRESCRIPTION[name as PrescriptionField];
}

const fieldList = (fields: readonly NeedField[]): [string, string] => [fields.map((f) => fieldWords(f)[0]).join('、'), fields.map((f) => fieldWords(f)[1]).join(', ')];

export interface MessageContext {
  categories: Iterable<SaleCategory>;
  productNames: readonly string[];
  reference?: string;
}

export function buyerMissingMessage(c: MessageContext, missing: readonly NeedField[]): LocalizedMessage {
  const [cz, ce] = categoryWords(c.categories);
  const [pz, pe] = productWords(c.productNames);
  const [fz, fe] = fieldList(missing);
  return withReference([`销售${cz}${pz}须登记购药人身份信息，缺少：${fz}`, `${capital(ce)}${pe} need the buyer's identity recorded; missing: ${fe}`], c.reference);
}

export function buyerIdInvalidMessage(c: MessageContext | undefined, reason: LocalizedMessage): LocalizedMessage {
  return withReference([`购药人身份证号码无效：${reason['zh-CN']}`, `The buyer's ID number is not valid: ${reason.en}`], c?.reference);
}

export function prescriptionMissingMessage(c: MessageContext, only: boolean): LocalizedMessage {
  const [cz, ce] = categoryWords(c.categories);
  const [pz, pe] = productWords(c.productNames);
  return withReference(
    only
      ? [`${cz}${pz}仅凭医师处方销售，本单未登记处方`, `${capital(ce)}${pe} are sold on prescription only; this sale has no prescription`]
      : [`销售${cz}${pz}须凭处方，并登记处方信息、拍照上传处方，本单未登记处方`, `${capital(ce)}${pe} need a prescription, recorded with a photo of it; this sale has none`],
    c.reference,
  );
}

export function prescriptionIncompleteMessage(c: MessageContext, missing: readonly NeedField[]): LocalizedMessage {
  const [cz, ce] = categoryWords(c.categories);
  const [pz, pe] = productWords(c.productNames);
  const [fz, fe] = fieldList(missing);
  return withReference([`${cz}${pz}的处方登记不完整，缺少：${fz}`, `The prescription for ${ce}${pe} is incomplete; missing: ${fe}`], c.reference);
}

export function prescriptionDateMessage(c: MessageContext, date: string): LocalizedMessage {
  return withReference([`处方日期「${date}」不是有效日期（年-月-日）或晚于今天`, `The prescription date "${date}" is not a valid date (year-month-day) or is after today`], c.reference);
}

export function perSaleMessage(c: MessageContext, o: { limit: number; actual: number; perProduct: boolean; exemptOnPrescription: boolean }): LocalizedMessage {
  const [cz, ce] = categoryWords(c.categories);
  const name = c.productNames[0] ?? cz;
  const [sz, se] = o.perProduct ? [name, name] : [cz, capital(ce)];
  return withReference(
    [
      `${sz}每次最多销售 ${o.limit} 个最小包装（本单 ${o.actual} 盒）${o.exemptOnPrescription ? '，凭处方按处方剂量销售的除外' : ''}`,
      `${se}: at most ${o.limit} pack${o.limit === 1 ? '' : 's'} per sale (this sale: ${o.actual})${o.exemptOnPrescription ? '; no limit when sold on prescription' : ''}`,
    ],
    c.reference,
  );
}

export function perPersonMessage(c: MessageContext, o: { limit: number; earlier: number; current: number; windowDays: number }): LocalizedMessage {
  const [cz, ce] = categoryWords(c.categories);
  const total = o.earlier + o.current;
  return withReference(
    [
      `同一身份证号 ${o.windowDays} 天内已购${cz} ${o.earlier} 盒，加本单 ${o.current} 盒共 ${total} 盒，超过 ${o.limit} 盒`,
      `This ID number bought ${o.earlier} pack${o.earlier === 1 ? '' : 's'} of ${ce} in the last ${o.windowDays} days; with this sale's ${o.current} that makes ${total}, above ${o.limit}`,
    ],
    c.reference,
  );
}

export function needMessage(field: NeedField, problem: 'missing' | 'invalid', reason?: LocalizedMessage): LocalizedMessage {
  if (field === 'prescription.photoRef' && problem === 'missing') return { 'zh-CN': '请拍照上传处方', en: 'Take a photo of the prescription' };
  const [z, e] = fieldWords(field);
  if (problem === 'missing') return { 'zh-CN': `请登记${z}`, en: `Enter the ${e}` };
  return reason ? { 'zh-CN': `请核对${z}：${reason['zh-CN']}`, en: `Check the ${e}: ${reason.en}` } : { 'zh-CN': `请核对${z}`, en: `Check the ${e}` };
}
