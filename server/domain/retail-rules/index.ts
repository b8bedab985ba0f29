/**
 * Retail sale rules (issue 7, DOMAIN.md §7–§8): key-variety categories, the configurable rule
 * table and the decision for one sale. Pure functions, no I/O: the caller loads the rule table and
 * the buyer's earlier sales, and passes `now`.
 */
export { SALE_CATEGORIES, isSaleCategory, categoriesOf, drugTypeField, parseDrugTypeField, type SaleCategory, type ProductSaleFlags } from './categories.js';
export {
  RULE_KINDS,
  RULE_ACTIONS,
  BUYER_FIELDS,
  PRESCRIPTION_FIELDS,
  retailRuleSchema,
  retailRulesSchema,
  parseRetailRules,
  type RuleKind,
  type RuleAction,
  type BuyerField,
  type PrescriptionField,
  type RetailRule,
  type RetailRules,
  type RetailRulesInput,
  type RuleOf,
  type RuleTableIssue,
  type ParsedRetailRules,
} from './schema.js';
export { DEFAULT_RETAIL_RULES } from './defaults.js';
export { evaluateSale, ID_NUMBER_RULE_ID } from './evaluate.js';
export {
  VIOLATION_CODES,
  type SaleInput,
  type SaleLine,
  type Buyer,
  type Prescription,
  type HistoryEntry,
  type Violation,
  type ViolationCode,
  type Need,
  type NeedField,
  type SaleDecision,
  type LocalizedMessage,
} from './types.js';
