import { describe, expect, it } from 'vitest';
import { DEFAULT_RETAIL_RULES, evaluateSale, ID_NUMBER_RULE_ID, parseRetailRules, type RetailRules, type SaleInput, type SaleLine } from './index.js';

const now = new Date('2026-06-01T10:00:00+08:00');
const VALID_ID = '11010519491231002X';
const OTHER_ID = '440304198506120019';
const buyer = { name: '张三丰', idNumber: VALID_ID };
const prescription = { number: 'RX-0001', prescriber: '李医生', hospital: '兰州市第一人民医院', date: '2026-06-01', photoRef: 'photo-1' };

const contac = (packs: number): SaleLine => ({ productId: 101, name: '新康泰克', categories: ['YC'], packs });
const baijiahei = (packs: number): SaleLine => ({ productId: 102, name: '白加黑', categories: ['YC'], packs });
const amoxicillin = (packs: number): SaleLine => ({ productId: 201, name: '阿莫西林胶囊', categories: ['YB'], packs });
const liquorice = (packs: number): SaleLine => ({ productId: 301, name: '复方甘草片', categories: ['YB', 'YD'], packs });
const vitaminC = (packs: number): SaleLine => ({ productId: 401, name: '维生素C片', categories: [], packs });

const sale = (over: Partial<SaleInput>): SaleInput => ({ lines: [], history: [], now, ...over });
const decide = (over: Partial<SaleInput>, rules: RetailRules = DEFAULT_RETAIL_RULES) => evaluateSale(sale(over), rules);

/** A copy of the default table with one rule changed, validated as the station would. */
function withRule(id: string, change: (rule: Record<string, unknown>) => void): RetailRules {
  const t = JSON.parse(JSON.stringify(DEFAULT_RETAIL_RULES)) as { rules: Record<string, unknown>[] };
  change(t.rules.find((r) => r.id === id)!);
  const parsed = parseRetailRules(t);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.rules;
}

describe('evaluateSale — ephedrine compounds (YC), 国食药监办〔2012〕260号', () => {
  it('allows 2 packs with a valid ID', () => {
    expect(decide({ lines: [contac(2)], buyer })).toEqual({ allowed: true, blocks: [], warnings: [], needs: [] });
  });

  it('blocks 3 packs, naming the rule, the limit and the count', () => {
    const d = decide({ lines: [contac(3)], buyer });
    expect(d.allowed).toBe(false);
    expect(d.blocks).toHaveLength(1);
    expect(d.blocks[0]).toMatchObject({ ruleId: 'yc-max-per-sale', kind: 'max_per_sale', code: 'too_many_per_sale', action: 'block', lines: [0], productIds: [101], reference: '国食药监办〔2012〕260号', facts: { limit: 2, actual: 3 } });
    expect(d.blocks[0]!.message['zh-CN']).toBe('含麻黄碱类复方制剂每次最多销售 2 个最小包装（本单 3 盒），凭处方按处方剂量销售的除外 — 国食药监办〔2012〕260号');
    expect(d.blocks[0]!.message.en).toBe('Ephedrine compounds: at most 2 packs per sale (this sale: 3); no limit when sold on prescription — 国食药监办〔2012〕260号');
    expect(d.needs).toEqual([]);
  });

  it('counts all ephedrine lines of the sale together', () => {
    const d = decide({ lines: [contac(2), vitaminC(5), baijiahei(1)], buyer });
    expect(d.blocks).toMatchObject([{ ruleId: 'yc-max-per-sale', lines: [0, 2], productIds: [101, 102], facts: { actual: 3 } }]);
  });

  it('blocks an invalid ID number with the reason in words and asks for it again', () => {
    // 110105194912310021: the MOD 11-2 check character of 11010519491231002 is X, not 1.
    const d = decide({ lines: [contac(1)], buyer: { name: '张三丰', idNumber: '110105194912310021' } });
    expect(d.allowed).toBe(false);
    expect(d.blocks).toMatchObject([{ ruleId: 'yc-yd-identity', code: 'buyer_id_invalid', lines: [0], facts: { idReason: 'check_digit' } }]);
    expect(d.blocks[0]!.message['zh-CN']).toContain('购药人身份证号码无效：身份证号码校验位不符');
    expect(d.blocks[0]!.message.en).toContain('check digit');
    expect(d.blocks[0]!.message['zh-CN']).not.toContain('110105194912310021');
    expect(d.needs).toMatchObject([{ field: 'buyer.idNumber', problem: 'invalid', ruleIds: ['yc-yd-identity'], lines: [0] }]);
  });

  it('blocks a missing ID and asks for it', () => {
    const d = decide({ lines: [contac(1)], buyer: { name: '张三丰' } });
    expect(d.allowed).toBe(false);
    expect(d.blocks).toMatchObject([{ ruleId: 'yc-yd-identity', code: 'buyer_missing', facts: { missing: ['buyer.idNumber'] } }]);
    expect(d.blocks[0]!.message['zh-CN']).toBe('销售含麻黄碱类复方制剂（新康泰克）须登记购药人身份信息，缺少：购药人身份证号码 — 国食药监办〔2012〕260号；甘药监发〔2023〕35号');
    expect(d.needs).toEqual([{ field: 'buyer.idNumber', problem: 'missing', ruleIds: ['yc-yd-identity'], lines: [0], message: { 'zh-CN': '请登记购药人身份证号码', en: "Enter the buyer's ID card number" } }]);
  });

  it('asks for name and ID when there is no buyer at all', () => {
    const d = decide({ lines: [contac(1)] });
    expect(d.needs.map((n) => n.field)).toEqual(['buyer.name', 'buyer.idNumber']);
  });

  it('lifts the per-sale limit on a complete prescription, not on a partial one', () => {
    expect(decide({ lines: [contac(4)], buyer, prescription })).toMatchObject({ allowed: true, blocks: [] });
    const partial = decide({ lines: [contac(4)], buyer, prescription: { ...prescription, photoRef: undefined } });
    expect(partial.blocks.map((b) => b.ruleId)).toEqual(['yc-max-per-sale']);
  });

  it('applies a changed table: max 3 per sale', () => {
    const rules = withRule('yc-max-per-sale', (r) => ((r.params as Record<string, unknown>).maxPacks = 3));
    expect(decide({ lines: [contac(3)], buyer }, rules)).toMatchObject({ allowed: true });
    const d = decide({ lines: [contac(4)], buyer }, rules);
    expect(d.blocks[0]!.message['zh-CN']).toContain('每次最多销售 3 个最小包装（本单 4 盒）');
  });

  it('limits per product when the table says so', () => {
    const rules = withRule('yc-max-per-sale', (r) => ((r.params as Record<string, unknown>).per = 'product'));
    expect(decide({ lines: [contac(2), baijiahei(2)], buyer }, rules)).toMatchObject({ allowed: true });
    const d = decide({ lines: [contac(2), baijiahei(1), contac(1)], buyer }, rules);
    expect(d.blocks).toMatchObject([{ lines: [0, 2], productIds: [101], facts: { actual: 3 } }]);
    expect(d.blocks[0]!.message['zh-CN']).toMatch(/^新康泰克每次最多销售 2 个最小包装（本单 3 盒）/);
  });

  it('turns a block into a warning, or off, as the table says', () => {
    const warn = withRule('yc-max-per-sale', (r) => (r.action = 'warn'));
    const d = decide({ lines: [contac(3)], buyer }, warn);
    expect(d).toMatchObject({ allowed: true, blocks: [], warnings: [{ ruleId: 'yc-max-per-sale', action: 'warn' }] });
    const off = withRule('yc-max-per-sale', (r) => (r.enabled = false));
    expect(decide({ lines: [contac(5)], buyer }, off)).toEqual({ allowed: true, blocks: [], warnings: [], needs: [] });
  });

  it('a warning-only identity rule asks for nothing', () => {
    const warn = withRule('yc-yd-identity', (r) => (r.action = 'warn'));
    const d = decide({ lines: [contac(1)] }, warn);
    expect(d).toMatchObject({ allowed: true, blocks: [], needs: [], warnings: [{ ruleId: 'yc-yd-identity', code: 'buyer_missing' }] });
  });

  it('phone and residence can be required too', () => {
    const rules = withRule('yc-yd-identity', (r) => ((r.params as Record<string, unknown>).fields = ['name', 'idNumber', 'phone', 'residence']));
    const d = decide({ lines: [contac(1)], buyer: { ...buyer, phone: '13912345678', residence: '  ' } }, rules);
    expect(d.needs.map((n) => n.field)).toEqual(['buyer.residence']);
  });
});

describe('evaluateSale — prescription drugs (YB) and narcotic compounds (YD)', () => {
  it('blocks a prescription drug without a prescription and lists what to record', () => {
    const d = decide({ lines: [amoxicillin(1)] });
    expect(d.allowed).toBe(false);
    expect(d.blocks).toMatchObject([{ ruleId: 'yb-prescription', code: 'prescription_missing', reference: '甘药监发〔2023〕35号' }]);
    expect(d.blocks[0]!.message['zh-CN']).toContain('销售处方药（阿莫西林胶囊）须凭处方');
    expect(d.needs.map((n) => n.field)).toEqual(['prescription.number', 'prescription.prescriber', 'prescription.hospital', 'prescription.date', 'prescription.photoRef']);
    expect(d.needs.at(-1)!.message).toEqual({ 'zh-CN': '请拍照上传处方', en: 'Take a photo of the prescription' });
  });

  it('allows it with a complete prescription; no buyer identity is needed for YB alone', () => {
    expect(decide({ lines: [amoxicillin(3)], prescription })).toEqual({ allowed: true, blocks: [], warnings: [], needs: [] });
  });

  it('names what a partial prescription lacks', () => {
    const d = decide({ lines: [amoxicillin(1)], prescription: { number: 'RX-1', prescriber: '李医生', hospital: '医院', date: '2026-06-01' } });
    expect(d.blocks).toMatchObject([{ code: 'prescription_incomplete', facts: { missing: ['prescription.photoRef'] } }]);
    expect(d.needs).toMatchObject([{ field: 'prescription.photoRef', problem: 'missing' }]);
  });

  it('refuses a prescription dated after today (China time) or not a date', () => {
    const future = decide({ lines: [amoxicillin(1)], prescription: { ...prescription, date: '2026-06-02' } });
    expect(future.blocks).toMatchObject([{ code: 'prescription_date_invalid' }]);
    expect(future.needs).toMatchObject([{ field: 'prescription.date', problem: 'invalid' }]);
    expect(decide({ lines: [amoxicillin(1)], prescription: { ...prescription, date: '2026-02-30' } }).blocks).toMatchObject([{ code: 'prescription_date_invalid' }]);
    // 00:30 on 2 June in Beijing is still 1 June in UTC: the prescription of 2 June is fine.
    expect(decide({ lines: [amoxicillin(1)], prescription: { ...prescription, date: '2026-06-02' }, now: new Date('2026-06-01T16:30:00Z') }).allowed).toBe(true);
  });

  it('blocks a narcotic compound without a prescription, under its own rule', () => {
    const d = decide({ lines: [liquorice(1)], buyer });
    expect(d.allowed).toBe(false);
    expect(d.blocks.map((b) => [b.ruleId, b.code])).toEqual([
      ['yb-prescription', 'prescription_missing'],
      ['yd-prescription-only', 'prescription_missing'],
    ]);
    expect(d.blocks[1]!.message['zh-CN']).toMatch(/^含麻精类复方制剂（复方甘草片）仅凭医师处方销售，本单未登记处方 — 食药监办药化监/);
    // Both rules want the same prescription: the screen asks once per field.
    expect(d.needs.map((n) => [n.field, n.ruleIds])).toContainEqual(['prescription.number', ['yb-prescription', 'yd-prescription-only']]);
    expect(d.needs).toHaveLength(5);
  });

  it('a YD-only product is blocked by the prescription-only rule alone', () => {
    const d = decide({ lines: [{ productId: 302, name: '氨酚曲马多片', categories: ['YD'], packs: 1 }], buyer });
    expect(d.blocks.map((b) => b.ruleId)).toEqual(['yd-prescription-only']);
    expect(decide({ lines: [{ productId: 302, name: '氨酚曲马多片', categories: ['YD'], packs: 1 }], buyer, prescription }).allowed).toBe(true);
  });

  it('requires identity for YD as well', () => {
    const d = decide({ lines: [liquorice(1)], prescription });
    expect(d.blocks).toMatchObject([{ ruleId: 'yc-yd-identity', code: 'buyer_missing' }]);
    expect(d.blocks[0]!.message['zh-CN']).toContain('销售含麻精类复方制剂（复方甘草片）');
  });

  it('reports every problem of a mixed sale in table order', () => {
    const d = decide({ lines: [vitaminC(1), contac(3), amoxicillin(1)], buyer: { name: '张三丰', idNumber: '110105194912310021' } });
    expect(d.blocks.map((b) => [b.ruleId, b.code, b.lines])).toEqual([
      ['yc-yd-identity', 'buyer_id_invalid', [1]],
      ['yb-prescription', 'prescription_missing', [2]],
      ['yc-max-per-sale', 'too_many_per_sale', [1]],
    ]);
    expect(d.needs.map((n) => n.field)).toEqual(['buyer.idNumber', 'prescription.number', 'prescription.prescriber', 'prescription.hospital', 'prescription.date', 'prescription.photoRef']);
  });
});

describe('evaluateSale — per-person window', () => {
  const day = 24 * 3600 * 1000;
  const ago = (days: number): Date => new Date(now.getTime() - days * day);

  it('warns when earlier sales to the same ID plus this one exceed the limit', () => {
    const history = [
      { idNumber: '11010519491231002x', category: 'YC' as const, packs: 2, at: ago(1) }, // same person, typed with a lower-case x
      { idNumber: VALID_ID, categories: ['YB', 'YC'] as const, packs: 2, at: ago(10).getTime() }, // one line, counted once
      { idNumber: VALID_ID, category: 'YC' as const, packs: 1, at: ago(29).toISOString() },
      { idNumber: VALID_ID, category: 'YC' as const, packs: 9, at: ago(31) }, // outside the window
      { idNumber: OTHER_ID, category: 'YC' as const, packs: 9, at: ago(1) }, // someone else
      { idNumber: VALID_ID, category: 'YB' as const, packs: 9, at: ago(1) }, // another category
    ];
    const d = decide({ lines: [contac(2)], buyer, history });
    expect(d.allowed).toBe(true);
    expect(d.warnings).toMatchObject([{ ruleId: 'yc-per-person-30d', code: 'too_many_per_person', action: 'warn', facts: { limit: 6, earlier: 5, actual: 7, windowDays: 30 } }]);
    expect(d.warnings[0]!.message['zh-CN']).toBe('同一身份证号 30 天内已购含麻黄碱类复方制剂 5 盒，加本单 2 盒共 7 盒，超过 6 盒');
    expect(d.warnings[0]!.message.en).toBe("This ID number bought 5 packs of ephedrine compounds in the last 30 days; with this sale's 2 that makes 7, above 6");
    expect(decide({ lines: [contac(1)], buyer, history }).warnings).toEqual([]); // 5 + 1 = 6, at the limit
  });

  it('blocks when the table makes it a block', () => {
    const rules = withRule('yc-per-person-30d', (r) => (r.action = 'block'));
    const d = decide({ lines: [contac(2)], buyer, history: [{ idNumber: VALID_ID, category: 'YC', packs: 5, at: ago(3) }] }, rules);
    expect(d).toMatchObject({ allowed: false, warnings: [], blocks: [{ ruleId: 'yc-per-person-30d' }] });
  });

  it('counts nothing without a valid ID (the identity rule speaks instead)', () => {
    const d = decide({ lines: [contac(2)], buyer: { name: '张三丰' }, history: [{ idNumber: VALID_ID, category: 'YC', packs: 50, at: ago(1) }] });
    expect(d.warnings).toEqual([]);
  });

  it('does not fire on a sale without the category', () => {
    expect(decide({ lines: [amoxicillin(1)], buyer, prescription, history: [{ idNumber: VALID_ID, category: 'YC', packs: 50, at: ago(1) }] }).warnings).toEqual([]);
  });
});

describe('evaluateSale — general', () => {
  it('a sale of ordinary products needs nothing', () => {
    expect(decide({ lines: [vitaminC(10)] })).toEqual({ allowed: true, blocks: [], warnings: [], needs: [] });
  });

  it('an ID number that was typed must be valid even where no rule asks for it', () => {
    const d = decide({ lines: [vitaminC(1), amoxicillin(1)], prescription, buyer: { idNumber: '110105194912310021' } });
    expect(d.blocks).toMatchObject([{ ruleId: ID_NUMBER_RULE_ID, kind: 'id_number', code: 'buyer_id_invalid', lines: [1] }]);
    expect(d.needs).toMatchObject([{ field: 'buyer.idNumber', problem: 'invalid' }]);
  });

  it('lines with no packs count for nothing', () => {
    expect(decide({ lines: [contac(0), amoxicillin(-1)] })).toEqual({ allowed: true, blocks: [], warnings: [], needs: [] });
  });

  it('is deterministic and leaves its inputs alone', () => {
    const input = sale({ lines: [contac(3), liquorice(1)], buyer: { name: '王五' }, history: [{ idNumber: VALID_ID, category: 'YC', packs: 1, at: now }] });
    const copy = structuredClone(input);
    const rulesCopy = structuredClone(DEFAULT_RETAIL_RULES);
    expect(evaluateSale(input, DEFAULT_RETAIL_RULES)).toEqual(evaluateSale(input, DEFAULT_RETAIL_RULES));
    expect(input).toEqual(copy);
    expect(DEFAULT_RETAIL_RULES).toEqual(rulesCopy);
  });

  it('messages never carry the buyer name or ID number', () => {
    const d = decide({ lines: [contac(3), liquorice(1)], buyer: { name: '张三丰', idNumber: '110105194912310021' } });
    const text = JSON.stringify([...d.blocks, ...d.warnings, ...d.needs].map((v) => v.message));
    expect(text).not.toContain('张三丰');
    expect(text).not.toContain('11010519491231');
  });
});
