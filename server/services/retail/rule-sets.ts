import type { Knex } from 'knex';
import { insertedId, type Queryable } from '../../../db/repositories/tx.js';
import { DEFAULT_RETAIL_RULES, parseRetailRules, type RetailRules } from '../../domain/retail-rules/index.js';
import { LocalizedAppError } from '../localized-error.js';

export interface RuleSet {
  /** null: the shipped default (no version stored yet). */
  id: number | null;
  rules: RetailRules;
  createdAt: number | null;
}

/**
 * The sale-rule table in versions (append-only): every sale reads the newest at the moment it is
 * decided, so a change applies to the next scan without a restart, and a completed sale records
 * which version allowed it.
 */
export class RuleSets {
  constructor(private readonly knex: Knex) {}

  async current(q: Queryable, unitId: number): Promise<RuleSet> {
    const r = (await q('retail_rule_sets').where((b) => b.where({ unit_id: unitId }).orWhereNull('unit_id')).orderBy('id', 'desc').first()) as
      | { id: number; rules: string; created_at: number }
      | undefined;
    if (!r) return { id: null, rules: DEFAULT_RETAIL_RULES, createdAt: null };
    const parsed = parseRetailRules(JSON.parse(r.rules));
    // A stored version was valid when written; if the schema grew stricter since, fall back loudly.
    if (!parsed.ok) throw new LocalizedAppError('RETAIL_RULES_INVALID', 500, { 'zh-CN': parsed.message, en: parsed.message });
    return { id: Number(r.id), rules: parsed.rules, createdAt: Number(r.created_at) };
  }

  async replace(unitId: number, raw: unknown, operatorId: number, note: string | null, at: number): Promise<RuleSet> {
    const parsed = parseRetailRules(raw);
    if (!parsed.ok) throw new LocalizedAppError('RETAIL_RULES_INVALID', 400, { 'zh-CN': `销售规则表有误：\n${parsed.message}`, en: parsed.message });
    const id = insertedId(await this.knex('retail_rule_sets').insert({ unit_id: unitId, rules: JSON.stringify(parsed.rules), note, created_by: operatorId, created_at: at }).returning('id'));
    return { id, rules: parsed.rules, createdAt: at };
  }
}
