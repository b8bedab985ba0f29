import { retailRulesSchema, type RetailRules, type RetailRulesInput } from './schema.js';

/**
 * The shipped rule table (DOMAIN.md §8). Regulations:
 * - 国食药监办〔2012〕260号 (ephedrine compounds): check and record the buyer's ID card, name and
 *   number; "除处方药按处方剂量销售外，一次销售不得超过2个最小包装"; large or repeated purchases
 *   must be reported.
 * - The 2013 and 2014 notices on codeine/compound liquorice/diphenoxylate and on narcotic- and
 *   tramadol-containing oral compounds: prescription only in retail ("无医师处方严禁销售").
 * - 甘药监发〔2023〕35号 (the Gansu notice, seeds/000): register every YC/YD sale to a person and
 *   every prescription sale with a photo of the prescription, "一笔不少、一盒不漏".
 * No national per-person cumulative limit exists; the window rule is our example, warn-only.
 */
const table = {
  version: 1,
  rules: [
    {
      id: 'yc-yd-identity',
      kind: 'identity_required',
      enabled: true,
      action: 'block',
      categories: ['YC', 'YD'],
      params: { fields: ['name', 'idNumber'] },
      description: {
        'zh-CN': '销售含麻黄碱类、含麻精类复方制剂须查验购药人身份证，登记姓名和身份证号码',
        en: "Ephedrine and narcotic/psychotropic compounds: check the buyer's ID card and record name and ID number",
      },
      reference: '国食药监办〔2012〕260号；甘药监发〔2023〕35号',
    },
    {
      id: 'yb-prescription',
      kind: 'prescription_required',
      enabled: true,
      action: 'block',
      categories: ['YB'],
      params: { fields: ['number', 'prescriber', 'hospital', 'date', 'photoRef'] },
      description: {
        'zh-CN': '处方药凭处方销售，逐一登记处方号、开方医师、医疗机构、处方日期，并拍照上传处方',
        en: 'Prescription drugs: sell on prescription and record its number, prescriber, hospital and date, with a photo of it',
      },
      reference: '甘药监发〔2023〕35号',
    },
    {
      id: 'yc-max-per-sale',
      kind: 'max_per_sale',
      enabled: true,
      action: 'block',
      categories: ['YC'],
      params: { maxPacks: 2, per: 'sale', exemptOnPrescription: true, prescriptionFields: ['number', 'prescriber', 'hospital', 'date', 'photoRef'] },
      description: {
        'zh-CN': '含麻黄碱类复方制剂除按处方剂量销售外，一次销售不得超过 2 个最小包装',
        en: 'Ephedrine compounds: at most 2 smallest packages per sale, unless dispensed on prescription',
      },
      reference: '国食药监办〔2012〕260号',
    },
    {
      id: 'yd-prescription-only',
      kind: 'prescription_only',
      enabled: true,
      action: 'block',
      categories: ['YD'],
      params: { fields: ['number', 'prescriber', 'hospital', 'date', 'photoRef'] },
      description: {
        'zh-CN': '含麻醉药品、曲马多等含麻精类复方制剂一律凭医师处方销售，无处方严禁销售',
        en: 'Compounds containing narcotics, tramadol or psychotropics: prescription only, never sold without one',
      },
      reference: '食药监办药化监〔2013〕33号；食药监办药化监〔2014〕111号',
    },
    {
      id: 'yc-per-person-30d',
      kind: 'max_per_person_window',
      enabled: true,
      action: 'warn',
      categories: ['YC'],
      params: { maxPacks: 6, windowDays: 30 },
      description: {
        'zh-CN': '同一身份证号 30 天内购买含麻黄碱类复方制剂超过 6 盒时提醒（大量、多次购买应报告；无全国统一限量，本规则为示例）',
        en: 'Warn when one ID number buys more than 6 packs of ephedrine compounds within 30 days (large or repeated purchases must be reported; no national limit exists, this is an example)',
      },
    },
  ],
} satisfies RetailRulesInput;

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/** Validated at import (a broken shipped default fails every test run, never a sale) and frozen: copy it to edit. */
export const DEFAULT_RETAIL_RULES: RetailRules = deepFreeze(retailRulesSchema.parse(table));
