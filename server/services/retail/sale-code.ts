import type { Knex } from 'knex';
import type { SalesRepository, SaleLineRow } from '../../../db/repositories/sales.repository.js';
import type { DecodedFields, Localized } from '../../contract/views.js';
import { chinaDateTime } from '../../domain/china-time.js';
import { categoriesOf, drugTypeField } from '../../domain/retail-rules/index.js';
import type { DockRepos } from '../dock/repos.js';
import { resolvePack } from '../dock/resolve.js';

/**
 * One pack presented to a sale, whichever way it came in: typed or wedged at the counter (HTTP),
 * or a scanner bound to the retail station (the scan journal). Both paths decide with the same
 * function below, so a pack refused at the keyboard is refused at the scanner in the same words.
 */
export interface SaleScan {
  /** The line's key: the trace code, or the commodity barcode of an exempt product. */
  code: string;
  /** A commodity barcode (EAN-13 / GTIN-14): stands for a pack only where the product is exempt. */
  commodity: boolean;
  fields: DecodedFields | null;
}

export type SaleRefusalReason = 'unknown_product' | 'product_blocked' | 'commodity_not_exempt' | 'sold_before' | 'not_in_stock' | 'already_on_sale' | 'on_other_sale';

export interface SaleRefusal {
  reason: SaleRefusalReason;
  message: Localized;
}

export type SaleCodePlan =
  | { ok: true; code: string; productName: string; add: { kind: 'pack'; lineId: number } | { kind: 'line'; line: Omit<SaleLineRow, 'id' | 'saleId'> } }
  | { ok: false; code: string; refusal: SaleRefusal };

/**
 * A commodity barcode's line key. The counter keeps what was typed (13 digits for an EAN-13); a
 * scanner's decoder hands a GTIN-14, whose leading 0 is the EAN-13 padding — dropped so both paths
 * add to the same line.
 */
export const commodityKey = (gtin: string): string => (gtin.length === 14 && gtin.startsWith('0') ? gtin.slice(1) : gtin);

/** What the counter's HTTP path hands in: the text as typed. */
export function typedSaleScan(raw: string): SaleScan {
  const code = raw.trim();
  const commodity = /^\d{13,14}$/.test(code);
  return { code, commodity, fields: commodity ? { gtin: code.padStart(14, '0') } : null };
}

/** What a station scanner hands in, after the decoder understood it. */
export function decodedSaleScan(c: { code: string; kind: string; fields: DecodedFields }): SaleScan {
  const commodity = c.kind === 'commodity' && !!c.fields.gtin;
  return { code: commodity ? commodityKey(c.fields.gtin!) : c.code, commodity, fields: c.fields };
}

const refuse = (code: string, reason: SaleRefusalReason, zh: string, en: string): SaleCodePlan => ({ ok: false, code, refusal: { reason, message: { 'zh-CN': zh, en } } });

/**
 * Decides whether a pack may go on the sale (`saleId` null: the sale is yet to be opened) and how.
 * Reads only; `applySaleCode` writes. A traced pack must be in this unit's stock and on no other
 * open sale; a code sold before is named with the sale that sold it.
 */
export async function planSaleCode(trx: Knex.Transaction, d: { dock: DockRepos; sales: SalesRepository }, unitId: number, saleId: number | null, scan: SaleScan, now: number): Promise<SaleCodePlan> {
  const { code } = scan;
  const pack = await resolvePack(trx, d.dock, code, scan.commodity ? { gtin: scan.fields?.gtin ?? code.padStart(14, '0') } : scan.fields);
  const product = pack.product;
  if (!product) return refuse(code, 'unknown_product', '未知药品：这个码对应的药品不在基础数据中', 'Unknown product: this code maps to no product in the master data');
  if (product.blocked) return refuse(code, 'product_blocked', `${product.name} 已停售`, `${product.name} is blocked from sale`);
  const categories = drugTypeField(categoriesOf(product));
  if (scan.commodity) {
    if (!product.noCodeExempt) return refuse(code, 'commodity_not_exempt', `${product.name} 须扫描药盒上的追溯码，不能用商品条码`, `${product.name} must be sold by its trace code, not its commodity barcode`);
    const line = saleId === null ? undefined : (await d.sales.lines(trx, saleId)).find((l) => l.code === code);
    if (line) return { ok: true, code, productName: product.name, add: { kind: 'pack', lineId: line.id } };
    return { ok: true, code, productName: product.name, add: { kind: 'line', line: { code, traceable: false, productId: product.id, packs: 1, categories, batch: null, addedAt: now } } };
  }
  const state = await d.dock.codeStates.lookup(trx, unitId, code);
  if (state?.state === 'sold') {
    const sold = await d.sales.soldBy(trx, unitId, code);
    return refuse(
      code,
      'sold_before',
      `这盒药已于 ${sold ? chinaDateTime(sold.at).slice(0, 16) : '此前'} 售出（${sold?.number ?? ''}），同一追溯码不能再次销售——请核查是否为回流药或串换`,
      `This pack was sold before (${sold?.number ?? ''}); a trace code sells once — check for re-circulated or substituted goods`,
    );
  }
  if (!state || state.state !== 'in_stock') return refuse(code, 'not_in_stock', `这盒药不在本店库存中（${state ? state.state : '未入库'}），请先收货`, `This pack is not in stock here (${state ? state.state : 'never received'}) — receive it first`);
  const elsewhere = await d.sales.openSaleOf(trx, unitId, code);
  if (elsewhere && elsewhere.saleId === saleId) return refuse(code, 'already_on_sale', '这盒药已在本单中', 'This pack is already on this sale');
  if (elsewhere) return refuse(code, 'on_other_sale', `这盒药已在另一笔销售 ${elsewhere.number} 中`, `This pack is on another open sale, ${elsewhere.number}`);
  return { ok: true, code, productName: product.name, add: { kind: 'line', line: { code, traceable: true, productId: product.id, packs: 1, categories, batch: state.batch ?? pack.batch, addedAt: now } } };
}

export async function applySaleCode(trx: Knex.Transaction, sales: SalesRepository, saleId: number, plan: Extract<SaleCodePlan, { ok: true }>): Promise<void> {
  if (plan.add.kind === 'pack') await sales.addPack(trx, plan.add.lineId);
  else await sales.addLine(trx, { saleId, ...plan.add.line });
}
