import { chinaDateTime } from '../../domain/china-time.js';
import type { ExportCodeRow, ExportEventRow } from '../../../db/repositories/exports.repository.js';

/**
 * Words of the export files. Files go to regulators and partners in China first: Chinese labels,
 * with the English in the header row so a foreign partner can still read the columns.
 */
const EVENT_LABELS: Record<string, string> = {
  receive: '收货扫描',
  pick: '出库拣货',
  complete: '单据完成',
  cancel: '单据取消',
  undo: '撤销扫描',
  lock: '锁定',
  unlock: '解锁',
  return: '退货',
  scrap: '报废',
  sale: '零售销售',
  pack: '装箱关联',
  unpack: '拆箱解除关联',
};

const STATE_LABELS: Record<string, string> = {
  receiving: '收货中',
  in_stock: '在库',
  picking: '拣货中',
  shipped: '已发货',
  returned: '已退货',
  scrapped: '已报废',
  locked: '已锁定',
  sold: '已售出',
  not_seen: '未见',
};

export const eventLabel = (kind: string): string => EVENT_LABELS[kind] ?? kind;
export const stateLabel = (state: string | null): string => (state === null ? '' : (STATE_LABELS[state] ?? state));

export const CODE_COLUMNS = ['序号 No.', '追溯码 Code', '包装级别 Level', '药品名称 Product', '医保编码 NHSA code', '批号 Batch', '有效期 Expiry', '当前状态 State', '上级包装 Parent', '节点数 Events', '节点 Nodes'] as const;
export const EVENT_COLUMNS = ['追溯码 Code', '时间 Time', '环节 Event', '原状态 From', '新状态 To', '单据 Document', '往来单位 Counterparty', '统一社会信用代码 USCC', '上级包装 Parent', '操作员 Operator', '工位 Station', '说明 Reason'] as const;

/** One node in a line of text, for the codes sheet and the CSV ("time event document counterparty"). */
export function nodeText(e: ExportEventRow): string {
  const parts = [chinaDateTime(e.at), eventLabel(e.kind)];
  if (e.toState) parts.push(`→${stateLabel(e.toState)}`);
  if (e.documentNumber) parts.push(e.documentNumber);
  if (e.counterpartyName) parts.push(e.counterpartyName);
  if (e.parentCode) parts.push(e.parentCode);
  return parts.join(' ');
}

export function codeCells(c: ExportCodeRow, events: ExportEventRow[]): Array<string | number> {
  return [c.seq, c.code, c.level ?? '', c.productName ?? '', c.nhsaCode ?? '', c.batch ?? '', c.expiry ?? '', stateLabel(c.state), c.parentCode ?? '', events.length, events.map(nodeText).join('; ')];
}

export function eventCells(e: ExportEventRow): string[] {
  return [e.code, chinaDateTime(e.at), eventLabel(e.kind), stateLabel(e.fromState), stateLabel(e.toState), e.documentNumber ?? '', e.counterpartyName ?? '', e.counterpartyUscc ?? '', e.parentCode ?? '', e.operatorName ?? '', e.stationName ?? '', e.reason ?? ''];
}
