import { describe, expect, it } from 'vitest';
import { DEFAULT_RETAIL_RULES, parseRetailRules, retailRulesSchema, RULE_KINDS } from './index.js';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('the rule table', () => {
  it('ships a valid default with every rule kind, each with words in both languages', () => {
    expect(retailRulesSchema.safeParse(DEFAULT_RETAIL_RULES).success).toBe(true);
    expect(new Set(DEFAULT_RETAIL_RULES.rules.map((r) => r.kind))).toEqual(new Set(RULE_KINDS));
    for (const r of DEFAULT_RETAIL_RULES.rules) {
      expect(r.description['zh-CN']).not.toBe('');
      expect(r.description.en).not.toBe('');
    }
    const window = DEFAULT_RETAIL_RULES.rules.find((r) => r.kind === 'max_per_person_window');
    expect(window).toMatchObject({ action: 'warn', categories: ['YC'], params: { maxPacks: 6, windowDays: 30 } });
    expect(DEFAULT_RETAIL_RULES.rules.find((r) => r.kind === 'max_per_sale')).toMatchObject({ categories: ['YC'], params: { maxPacks: 2 }, reference: '国食药监办〔2012〕260号' });
  });

  it('survives a trip through JSON storage unchanged', () => {
    const parsed = parseRetailRules(clone(DEFAULT_RETAIL_RULES));
    expect(parsed).toEqual({ ok: true, rules: DEFAULT_RETAIL_RULES });
  });

  it('fills in optional parameters', () => {
    const t = clone(DEFAULT_RETAIL_RULES);
    const rule = t.rules.find((r) => r.kind === 'max_per_sale')!;
    const params = rule.params as Record<string, unknown>;
    delete params.per;
    delete params.prescriptionFields;
    const parsed = parseRetailRules(t);
    expect(parsed.ok && parsed.rules.rules.find((r) => r.id === rule.id)).toMatchObject({ params: { per: 'sale', prescriptionFields: ['number', 'prescriber', 'hospital', 'date', 'photoRef'] } });
  });

  it('refuses a broken table, naming each problem with its rule', () => {
    const t = clone(DEFAULT_RETAIL_RULES) as unknown as { rules: Record<string, unknown>[] };
    (t.rules[2]!.params as Record<string, unknown>).maxPacks = 0; // yc-max-per-sale
    (t.rules[2]!.params as Record<string, unknown>).maxPack = 3; // a typo
    t.rules[1]!.categories = [];
    t.rules[0]!.action = 'deny';
    (t.rules[4]!.description as Record<string, unknown>).en = ' ';
    t.rules.push({ ...t.rules[3], id: 'yb-prescription' });
    t.rules.push({ id: 'x', kind: 'max_per_month', enabled: true, action: 'warn', categories: ['YC'], params: {}, description: { 'zh-CN': 'x', en: 'x' } });
    const r = parseRetailRules(t);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toMatch(/^invalid retail rule table:/);
    const byPath = Object.fromEntries(r.issues.map((i) => [i.path, i.message]));
    expect(byPath['rules[2] (yc-max-per-sale).params.maxPacks']).toBe('at least 1 pack');
    expect(byPath['rules[2] (yc-max-per-sale).params']).toContain('maxPack');
    expect(byPath['rules[1] (yb-prescription).categories']).toContain('at least one category');
    expect(byPath['rules[0] (yc-yd-identity).action']).toContain('"block"|"warn"');
    expect(byPath['rules[4] (yc-per-person-30d).description.en']).toBe('an English description is required');
    expect(byPath['rules[5] (yb-prescription).id']).toBe('rule id yb-prescription is used twice');
    expect(byPath['rules[6] (x).kind']).toContain('max_per_person_window');
    expect(r.message).toContain('rules[2] (yc-max-per-sale).params.maxPacks: at least 1 pack');
  });

  it('refuses what is not a table at all', () => {
    expect(parseRetailRules(null)).toMatchObject({ ok: false });
    expect(parseRetailRules({ rules: [] })).toMatchObject({ ok: false, issues: [{ path: 'version' }] });
    expect(parseRetailRules({ version: 1, rules: [] })).toMatchObject({ ok: true });
  });
});
