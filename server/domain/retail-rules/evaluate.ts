import { checkResidentId, normalizeResidentId, type ResidentIdCheck } from '../identity/index.js';
import { SALE_CATEGORIES, type SaleCategory } from './categories.js';
import {
  buyerIdInvalidMessage,
  buyerMissingMessage,
  needMessage,
  perPersonMessage,
  perSaleMessage,
  prescriptionDateMessage,
  prescriptionIncompleteMessage,
  prescriptionMissingMessage,
  type MessageContext,
} from './messages.js';
import { missingBuyerFields, prescriptionGiven, prescriptionProblems, prescriptionSatisfies } from './requirements.js';
import { BUYER_FIELDS, PRESCRIPTION_FIELDS, type RetailRules, type RuleOf } from './schema.js';
import type { HistoryEntry, LocalizedMessage, Need, NeedField, SaleDecision, SaleInput, Violation } from './types.js';
import { DAY_MS } from '../china-time.js';

/** Rule id of the check no table can switch off: an ID number that was entered must be valid. */
export const ID_NUMBER_RULE_ID = 'buyer_id_number';

const NEED_ORDER: readonly NeedField[] = [...BUYER_FIELDS.map((f) => `buyer.${f}` as const), ...PRESCRIPTION_FIELDS.map((f) => `prescription.${f}` as const)];

interface Line {
  index: number;
  productId: string | number;
  name: string;
  categories: ReadonlySet<SaleCategory>;
  packs: number;
}

const packsOf = (n: number): number => (Number.isFinite(n) && n > 0 ? n : 0);
const overlaps = (a: Iterable<SaleCategory>, b: readonly SaleCategory[]): boolean => [...a].some((c) => b.includes(c));
const sum = (lines: readonly Line[]): number => lines.reduce((s, l) => s + l.packs, 0);

/**
 * Decides whether a retail sale of key varieties may complete (DOMAIN.md §8). Pure and
 * deterministic: everything it looks at is in `input` (including `now` and the buyer's earlier
 * sales) and `rules` (a validated table, see parseRetailRules; reload it whenever it may have
 * changed). Rules run in table order; disabled rules are skipped; a rule applies to the lines with
 * a category of the rule and at least one pack.
 */
export function evaluateSale(input: SaleInput, rules: RetailRules): SaleDecision {
  const lines: Line[] = input.lines.map((l, index) => ({ index, productId: l.productId, name: l.name, categories: new Set(l.categories), packs: packsOf(l.packs) }));
  const idNumber = input.buyer?.idNumber;
  const id: ResidentIdCheck | undefined = typeof idNumber === 'string' && idNumber.trim() !== '' ? checkResidentId(idNumber, { now: input.now }) : undefined;
  const out = new Outcome();
  let idReported = false;

  for (const rule of rules.rules) {
    if (!rule.enabled) continue;
    const concerned = lines.filter((l) => l.packs > 0 && overlaps(l.categories, rule.categories));
    if (concerned.length === 0) continue;
    const ctx: MessageContext = {
      categories: SALE_CATEGORIES.filter((c) => rule.categories.includes(c) && concerned.some((l) => l.categories.has(c))),
      productNames: concerned.map((l) => l.name),
      reference: rule.reference,
    };
    switch (rule.kind) {
      case 'identity_required':
        idReported = identityRule(rule, concerned, ctx, input, id, out) || idReported;
        break;
      case 'prescription_required':
      case 'prescription_only':
        prescriptionRule(rule, concerned, ctx, input, out);
        break;
      case 'max_per_sale':
        perSaleRule(rule, concerned, ctx, input, out);
        break;
      case 'max_per_person_window':
        perPersonRule(rule, concerned, ctx, input, id, out);
        break;
    }
  }

  // An ID number typed on any sale ends up in the register and the Gansu report: it must be right.
  if (id && !id.ok && !idReported) {
    const keyLines = lines.filter((l) => l.categories.size > 0);
    out.add(
      { ruleId: ID_NUMBER_RULE_ID, kind: 'id_number', code: 'buyer_id_invalid', action: 'block', lines: keyLines, message: buyerIdInvalidMessage(undefined, id.message), facts: { idReason: id.reason } },
      [{ field: 'buyer.idNumber', problem: 'invalid', reason: id.message }],
    );
  }
  return out.decision();
}

function identityRule(rule: RuleOf<'identity_required'>, concerned: Line[], ctx: MessageContext, input: SaleInput, id: ResidentIdCheck | undefined, out: Outcome): boolean {
  const missing = missingBuyerFields(input.buyer, rule.params.fields).map((f) => `buyer.${f}` as const);
  if (missing.length > 0) {
    out.add(
      { ruleId: rule.id, kind: rule.kind, code: 'buyer_missing', action: rule.action, lines: concerned, message: buyerMissingMessage(ctx, missing), reference: rule.reference, facts: { missing } },
      missing.map((field) => ({ field, problem: 'missing' })),
    );
  }
  if (!rule.params.fields.includes('idNumber') || !id || id.ok) return false;
  out.add(
    { ruleId: rule.id, kind: rule.kind, code: 'buyer_id_invalid', action: rule.action, lines: concerned, message: buyerIdInvalidMessage(ctx, id.message), reference: rule.reference, facts: { idReason: id.reason } },
    [{ field: 'buyer.idNumber', problem: 'invalid', reason: id.message }],
  );
  return true;
}

function prescriptionRule(rule: RuleOf<'prescription_required' | 'prescription_only'>, concerned: Line[], ctx: MessageContext, input: SaleInput, out: Outcome): void {
  const base = { ruleId: rule.id, kind: rule.kind, action: rule.action, lines: concerned, reference: rule.reference };
  const { missing, invalid } = prescriptionProblems(input.prescription, rule.params.fields, input.now);
  const missingFields = missing.map((f) => `prescription.${f}` as const);
  const needs = missingFields.map((field) => ({ field, problem: 'missing' as const }));
  if (!prescriptionGiven(input.prescription)) {
    out.add({ ...base, code: 'prescription_missing', message: prescriptionMissingMessage(ctx, rule.kind === 'prescription_only'), facts: { missing: missingFields } }, needs);
    return;
  }
  if (missing.length > 0) out.add({ ...base, code: 'prescription_incomplete', message: prescriptionIncompleteMessage(ctx, missingFields), facts: { missing: missingFields } }, needs);
  if (invalid.includes('date')) {
    const message = prescriptionDateMessage(ctx, input.prescription!.date!.trim());
    out.add({ ...base, code: 'prescription_date_invalid', message }, [{ field: 'prescription.date', problem: 'invalid', reason: message }]);
  }
}

function perSaleRule(rule: RuleOf<'max_per_sale'>, concerned: Line[], ctx: MessageContext, input: SaleInput, out: Outcome): void {
  const p = rule.params;
  if (p.exemptOnPrescription && prescriptionSatisfies(input.prescription, p.prescriptionFields, input.now)) return;
  const groups = p.per === 'sale' ? [concerned] : byProduct(concerned);
  for (const group of groups) {
    const actual = sum(group);
    if (actual <= p.maxPacks) continue;
    const message = perSaleMessage({ ...ctx, productNames: group.map((l) => l.name) }, { limit: p.maxPacks, actual, perProduct: p.per === 'product', exemptOnPrescription: p.exemptOnPrescription });
    out.add({ ruleId: rule.id, kind: rule.kind, code: 'too_many_per_sale', action: rule.action, lines: group, message, reference: rule.reference, facts: { limit: p.maxPacks, actual } }, []);
  }
}

/** Node 20 has no Map.groupBy. */
function byProduct(lines: readonly Line[]): Line[][] {
  const groups = new Map<string | number, Line[]>();
  for (const l of lines) groups.set(l.productId, [...(groups.get(l.productId) ?? []), l]);
  return [...groups.values()];
}

function perPersonRule(rule: RuleOf<'max_per_person_window'>, concerned: Line[], ctx: MessageContext, input: SaleInput, id: ResidentIdCheck | undefined, out: Outcome): void {
  // Without a valid ID there is no person to count for; the identity rules say what is missing.
  if (!id?.ok) return;
  const from = input.now.getTime() - rule.params.windowDays * DAY_MS;
  const earlier = (input.history ?? []).filter((h) => normalizeResidentId(String(h.idNumber ?? '')) === id.id && overlaps(historyCategories(h), rule.categories) && inWindow(h.at, from)).reduce((s, h) => s + packsOf(h.packs), 0);
  const current = sum(concerned);
  if (earlier + current <= rule.params.maxPacks) return;
  const message = perPersonMessage(ctx, { limit: rule.params.maxPacks, earlier, current, windowDays: rule.params.windowDays });
  out.add(
    { ruleId: rule.id, kind: rule.kind, code: 'too_many_per_person', action: rule.action, lines: concerned, message, reference: rule.reference, facts: { limit: rule.params.maxPacks, actual: earlier + current, earlier, windowDays: rule.params.windowDays } },
    [],
  );
}

function historyCategories(h: HistoryEntry): Set<SaleCategory> {
  const out = new Set<SaleCategory>(h.categories ?? []);
  if (h.category) out.add(h.category);
  return out;
}

/** Unreadable times count as inside the window: a limit errs on the side of asking. Future times (clock skew) count too. */
function inWindow(at: Date | number | string, fromMs: number): boolean {
  const t = at instanceof Date ? at.getTime() : typeof at === 'number' ? at : Date.parse(at);
  return Number.isNaN(t) || t > fromMs;
}

type Finding = Omit<Violation, 'lines' | 'productIds'> & { lines: readonly Line[] };
type NeedFinding = { field: NeedField; problem: 'missing' | 'invalid'; reason?: LocalizedMessage };

class Outcome {
  private readonly blocks: Violation[] = [];
  private readonly warnings: Violation[] = [];
  private readonly needs = new Map<NeedField, Need>();

  /** Needs come only from blocking findings: a warning never holds a sale up. */
  add(f: Finding, needs: readonly NeedFinding[]): void {
    const indexes = f.lines.map((l) => l.index);
    const v: Violation = { ...f, lines: indexes, productIds: [...new Set(f.lines.map((l) => l.productId))] };
    if (v.reference === undefined) delete v.reference;
    (f.action === 'block' ? this.blocks : this.warnings).push(v);
    if (f.action !== 'block') return;
    for (const n of needs) {
      const have = this.needs.get(n.field);
      if (have) {
        if (!have.ruleIds.includes(f.ruleId)) have.ruleIds.push(f.ruleId);
        for (const i of indexes) if (!have.lines.includes(i)) have.lines.push(i);
        if (n.problem === 'invalid' && have.problem === 'missing') Object.assign(have, { problem: 'invalid', message: needMessage(n.field, 'invalid', n.reason) });
      } else {
        this.needs.set(n.field, { field: n.field, problem: n.problem, ruleIds: [f.ruleId], lines: [...indexes], message: needMessage(n.field, n.problem, n.reason) });
      }
    }
  }

  decision(): SaleDecision {
    const needs = [...this.needs.values()].sort((a, b) => NEED_ORDER.indexOf(a.field) - NEED_ORDER.indexOf(b.field));
    for (const n of needs) n.lines.sort((a, b) => a - b);
    return { allowed: this.blocks.length === 0, blocks: this.blocks, warnings: this.warnings, needs };
  }
}
