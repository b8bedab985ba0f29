import { z } from 'zod';
import { SALE_CATEGORIES } from './categories.js';

/**
 * The retail sale rule table (DOMAIN.md §8). The regulations give the defaults; the official
 * wording and local practice may differ, so the rules are data: a pharmacy edits the table, the
 * caller validates it here and hands it to evaluateSale on every sale (no restart).
 */
export const RULE_KINDS = ['identity_required', 'prescription_required', 'max_per_sale', 'prescription_only', 'max_per_person_window'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const RULE_ACTIONS = ['block', 'warn'] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];

/** Buyer facts a rule can require (the Gansu row's purchaserName/Id/Phone/Residence). */
export const BUYER_FIELDS = ['name', 'idNumber', 'phone', 'residence'] as const;
export type BuyerField = (typeof BUYER_FIELDS)[number];

/** Prescription facts a rule can require; photoRef = the stored photo of the paper prescription. */
export const PRESCRIPTION_FIELDS = ['number', 'prescriber', 'hospital', 'date', 'photoRef'] as const;
export type PrescriptionField = (typeof PRESCRIPTION_FIELDS)[number];

const unique = <T>(a: readonly T[]): boolean => new Set(a).size === a.length;
const localized = z.strictObject({ 'zh-CN': z.string().trim().min(1, 'a Chinese description is required'), en: z.string().trim().min(1, 'an English description is required') });
const categories = z.array(z.enum(SALE_CATEGORIES)).min(1, 'name at least one category (YB, YC, YD)').refine(unique, 'a category is listed twice');
const buyerFields = z.array(z.enum(BUYER_FIELDS)).min(1, 'name at least one buyer field').refine(unique, 'a field is listed twice');
const prescriptionFields = z.array(z.enum(PRESCRIPTION_FIELDS)).min(1, 'name at least one prescription field').refine(unique, 'a field is listed twice');
const packs = z.number().int('a whole number of packs').min(1, 'at least 1 pack');

const common = {
  id: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'an id of lower-case letters, digits, _ . - (at most 64)'),
  enabled: z.boolean(),
  action: z.enum(RULE_ACTIONS),
  categories,
  description: localized,
  /** The regulation the rule comes from (`国食药监办〔2012〕260号`), shown with every message. */
  reference: z.string().trim().min(1).optional(),
};

const identityRequired = z.strictObject({
  ...common,
  kind: z.literal('identity_required'),
  /** Buyer facts to record; idNumber must also be a valid resident ID number. */
  params: z.strictObject({ fields: buyerFields }),
});

const prescriptionRequired = z.strictObject({
  ...common,
  kind: z.literal('prescription_required'),
  /** What the recorded prescription must carry. */
  params: z.strictObject({ fields: prescriptionFields }),
});

const maxPerSale = z.strictObject({
  ...common,
  kind: z.literal('max_per_sale'),
  params: z.strictObject({
    /** Smallest packages (最小包装) of the rule's categories in one sale. */
    maxPacks: packs,
    /** `sale`: all lines of the categories together (the 260号 wording); `product`: each product on its own. */
    per: z.enum(['sale', 'product']).default('sale'),
    /** "除处方药按处方剂量销售外": no limit when the sale carries a prescription with these fields. */
    exemptOnPrescription: z.boolean(),
    prescriptionFields: prescriptionFields.default([...PRESCRIPTION_FIELDS]),
  }),
});

const prescriptionOnly = z.strictObject({
  ...common,
  kind: z.literal('prescription_only'),
  /** What a prescription must carry for the sale to count as "on prescription". */
  params: z.strictObject({ fields: prescriptionFields }),
});

const maxPerPersonWindow = z.strictObject({
  ...common,
  kind: z.literal('max_per_person_window'),
  params: z.strictObject({
    /** Smallest packages of the rule's categories per ID number, earlier sales plus this one. */
    maxPacks: packs,
    /** Rolling window ending now, in days of 24 hours. */
    windowDays: z.number().int('a whole number of days').min(1, 'at least 1 day').max(3660, 'at most 3660 days'),
  }),
});

export const retailRuleSchema = z.discriminatedUnion('kind', [identityRequired, prescriptionRequired, maxPerSale, prescriptionOnly, maxPerPersonWindow]);

export const retailRulesSchema = z
  .strictObject({
    version: z.literal(1),
    rules: z.array(retailRuleSchema),
  })
  .superRefine(
    (t, ctx) => {
      const seen = new Set<string>();
      (Array.isArray(t.rules) ? (t.rules as unknown[]) : []).forEach((r, i) => {
        const id = (r as { id?: unknown } | null)?.id;
        if (typeof id !== 'string') return;
        if (seen.has(id)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `rule id ${id} is used twice` });
        seen.add(id);
      });
    },
    // Report duplicate ids together with the other problems, not only once those are fixed.
    { when: (payload) => Array.isArray((payload.value as { rules?: unknown } | null)?.rules) },
  );

export type RetailRules = z.infer<typeof retailRulesSchema>;
/** A rule table as written (defaults not yet filled in). */
export type RetailRulesInput = z.input<typeof retailRulesSchema>;
export type RetailRule = RetailRules['rules'][number];
export type RuleOf<K extends RuleKind> = Extract<RetailRule, { kind: K }>;

export interface RuleTableIssue {
  /** `rules[2] (yc-max-per-sale).params.maxPacks` */
  path: string;
  message: string;
}

export type ParsedRetailRules = { ok: true; rules: RetailRules } | { ok: false; issues: RuleTableIssue[]; message: string };

/** Validates a rule table; on failure every problem is listed with the rule it belongs to. */
export function parseRetailRules(raw: unknown): ParsedRetailRules {
  const parsed = retailRulesSchema.safeParse(raw);
  if (parsed.success) return { ok: true, rules: parsed.data };
  const rawRules = (raw as { rules?: unknown } | null)?.rules;
  const issues = parsed.error.issues.map((issue) => ({ path: describePath(issue.path, rawRules), message: issue.message }));
  return { ok: false, issues, message: `invalid retail rule table:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}` };
}

function describePath(path: readonly PropertyKey[], rawRules: unknown): string {
  if (path.length === 0) return '(table)';
  let out = '';
  path.forEach((p, i) => {
    if (typeof p === 'number') {
      out += `[${p}]`;
      if (i === 1 && path[0] === 'rules' && Array.isArray(rawRules)) {
        const id = (rawRules[p] as { id?: unknown } | null)?.id;
        if (typeof id === 'string' && id !== '') out += ` (${id})`;
      }
    } else out += (out === '' ? '' : '.') + String(p);
  });
  return out;
}
