import type { Localized } from '../../contract/views.js';

/**
 * Stable reason codes of dock decisions (receiving, dispatch, learn flow). Stored with every
 * rejected scan, so never rename one. Messages name the codes and the earlier event, because the
 * worker must find the box and the supervisor must find the paperwork.
 */
export interface MovementFacts {
  code?: string;
  product?: string;
  prefix?: string;
  gtin?: string;
  /** The earlier document involved and when it moved the code. */
  document?: string;
  at?: number;
  parent?: string;
  expiry?: string;
  count?: number;
  codes?: string[];
  state?: string;
}

const when = (at?: number): string => {
  if (at === undefined) return '';
  const d = new Date(at);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
};
const list = (codes?: string[]): string => (codes ?? []).slice(0, 3).join('、') + ((codes?.length ?? 0) > 3 ? ' …' : '');

const STATE_ZH: Record<string, string> = { receiving: '收货中', in_stock: '在库', picking: '拣货中', shipped: '已发出', returned: '已退回', scrapped: '已报废', locked: '已锁定', not_seen: '未收货' };

type Builder = (f: MovementFacts) => [string, string];

const MESSAGES = {
  no_document: () => ['请先选择或扫描单据，再扫追溯码。', 'Choose or scan a document first, then scan codes.'],
  unknown_product: (f) => [
    `未登记的药品（标识码 ${f.prefix}）：请扫描这个包装上的商品条码来登记。`,
    `Unknown product (identification code ${f.prefix}): scan this pack's commodity barcode to learn it.`,
  ],
  not_on_document: (f) => [`${f.product ?? '该药品'} 不在本单据上（${f.code}）。`, `${f.product ?? 'This product'} is not on this document (${f.code}).`],
  inside_other_case: (f) => [
    `${f.code} 装在箱 ${f.parent} 中，该箱不在本单据上。`,
    `${f.code} is inside case ${f.parent}, which is not on this document.`,
  ],
  received_with_case: (f) => [`重复：${f.code} 已随箱 ${f.parent} 收到。`, `Duplicate: ${f.code} was already received with case ${f.parent}.`],
  already_in_stock: (f) => [
    `${f.code} 已在库：单据 ${f.document} 于 ${when(f.at)} 入库。`,
    `${f.code} is already in stock: received on document ${f.document} at ${when(f.at)}.`,
  ],
  on_other_document: (f) => [`${f.code} 正在单据 ${f.document} 上处理（${STATE_ZH[f.state ?? ''] ?? f.state}）。`, `${f.code} is being handled on document ${f.document} (${f.state}).`],
  shipped_before: (f) => [
    `${f.code} 已于 ${when(f.at)} 随单据 ${f.document} 发出；再次收货请用退货入库单（可能是回流药）。`,
    `${f.code} was shipped on document ${f.document} at ${when(f.at)}; receive it again only on a return document (possible re-circulation).`,
  ],
  scrapped: (f) => [`${f.code} 已报废（单据 ${f.document}），不能再流通。`, `${f.code} was scrapped (document ${f.document}) and cannot circulate.`],
  locked: (f) => [`${f.code} 已锁定（召回或封存），不能出库。`, `${f.code} is locked (recall or quarantine) and cannot be shipped.`],
  not_received: (f) => [`${f.code} 从未在本单位收货入库，不能发货。`, `${f.code} was never received into this unit's stock; it cannot be shipped.`],
  not_in_stock_yet: (f) => [`${f.code} 的收货单 ${f.document} 尚未完成，完成后才能发货。`, `${f.code} is on receiving document ${f.document}, not yet completed; complete it before shipping.`],
  already_shipped: (f) => [
    `${f.code} 已于 ${when(f.at)} 随单据 ${f.document} 发出，不能重复发货。`,
    `${f.code} was already shipped on document ${f.document} at ${when(f.at)}.`,
  ],
  expired: (f) => [`${f.code} 已过有效期（${f.expiry}），不能发货。`, `${f.code} expired on ${f.expiry} and cannot be shipped.`],
  product_blocked: (f) => [`${f.product} 已停止出库（主数据中已冻结）。`, `${f.product} is blocked for shipping in master data.`],
  not_on_pick_list: (f) => [`${f.product ?? f.code} 不在本单的拣货清单上。`, `${f.product ?? f.code} is not on this document's pick list.`],
  over_pick: (f) => [`${f.product} 超出拣货数量（此码含 ${f.count} 个小包装）。`, `${f.product}: over the pick-list quantity (this code holds ${f.count} units).`],
  children_unavailable: (f) => [
    `箱 ${f.code} 内有 ${f.count} 个码不能处理：${list(f.codes)}（${STATE_ZH[f.state ?? ''] ?? f.state}）。`,
    `Case ${f.code} holds ${f.count} codes that cannot move: ${list(f.codes)} (${f.state}).`,
  ],
  learn_gtin_unknown: (f) => [`商品码 ${f.gtin} 未在主数据中登记，请先维护药品信息。`, `Commodity code ${f.gtin} is not in master data; add the product first.`],
  learn_pending: (f) => [`标识码 ${f.prefix} 已提交登记，等待主管审批。`, `Identification code ${f.prefix} was submitted and awaits supervisor approval.`],
  learn_expected_gtin: (f) => [`正在登记 ${f.code}：请扫描同一包装上的商品条码（69 开头）。`, `Learning ${f.code}: scan the commodity barcode (69…) of the same pack.`],
  parent_unknown: (f) => [`${f.code} 是最小包装，不能作为箱码开始装箱。`, `${f.code} is a unit; scan a case or middle pack first.`],
} as const satisfies Record<string, Builder>;

export type MovementReason = keyof typeof MESSAGES;

export function movementMessage(reason: MovementReason, facts: MovementFacts = {}): Localized {
  const [zh, en] = (MESSAGES[reason] as Builder)(facts);
  return { 'zh-CN': zh, en };
}
