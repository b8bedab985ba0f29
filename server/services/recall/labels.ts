import { DOCUMENT_TYPES } from '../../contract/dock.js';
import type { RecallOrigin, RecallStatus } from '../../contract/recall.js';
import type { Localized } from '../../contract/views.js';

/** Words of the report file (the screen has its own in ui/src/i18n/recall.*.ts). */
export const STATUS_LABELS: Record<RecallStatus, Localized> = {
  in_stock: { 'zh-CN': '在库', en: 'In stock' },
  locked: { 'zh-CN': '已锁定', en: 'Locked' },
  receiving: { 'zh-CN': '收货中', en: 'Being received' },
  picking: { 'zh-CN': '拣货中', en: 'Being picked' },
  shipped: { 'zh-CN': '已发出', en: 'Shipped' },
  sold: { 'zh-CN': '零售售出', en: 'Sold at retail' },
  returned: { 'zh-CN': '已退回供货方', en: 'Returned to supplier' },
  scrapped: { 'zh-CN': '已报废/销毁', en: 'Scrapped / destroyed' },
  not_received: { 'zh-CN': '仅在关联关系中，未收货', en: 'In a relation file only, never received' },
  not_found: { 'zh-CN': '查无此码', en: 'Not found' },
};

export const ORIGIN_LABELS: Record<RecallOrigin['kind'], Localized> = {
  received: { 'zh-CN': '采购/调入收货', en: 'Received' },
  made: { 'zh-CN': '本单位赋码（关联关系导入）', en: 'Made here (relation import)' },
  unknown: { 'zh-CN': '来源不明', en: 'Unknown origin' },
};

export const DIRECTION_LABELS: Record<'in' | 'out', Localized> = {
  out: { 'zh-CN': '去向（需通知）', en: 'Went to (to be called)' },
  in: { 'zh-CN': '来源', en: 'Came from' },
};

export const DOCUMENT_STATUS_LABELS: Record<'open' | 'completed' | 'cancelled', Localized> = {
  open: { 'zh-CN': '进行中', en: 'Open' },
  completed: { 'zh-CN': '已完成', en: 'Completed' },
  cancelled: { 'zh-CN': '已作废', en: 'Cancelled' },
};

export function documentTypeLabel(direction: 'in' | 'out', type: string): Localized {
  return (DOCUMENT_TYPES[direction] as Record<string, Localized>)[type] ?? { 'zh-CN': type, en: type };
}

/** "在库 In stock": the file is read by people of either language, so it carries both. */
export const both = (l: Localized): string => (l['zh-CN'] === l.en ? l.en : `${l['zh-CN']} ${l.en}`);
