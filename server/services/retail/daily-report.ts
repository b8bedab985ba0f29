import ExcelJS from 'exceljs';
import { chinaDateTime } from '../../domain/china-time.js';
import type { RegisterEntryView, RetailReconciliation } from '../../contract/retail.js';

const KIND_TEXT: Record<string, string> = {
  row_missing: '平台未收到该销售的上报行（上传队列中缺失）',
  row_not_accepted: '上报行尚未被平台接收',
  register_missing: '专册缺少该销售的登记',
  register_quantity: '专册数量与销售数量不一致',
};

/**
 * The pharmacy manager's daily report: the day's figures, every difference with its sale, and the
 * register of the day — buyer data masked, so the file carries no personal data in clear and can
 * be kept and passed on as it is.
 */
export async function dailyReportXlsx(r: RetailReconciliation, register: RegisterEntryView[], storeName: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'TraceDock';
  const sum = wb.addWorksheet('汇总');
  sum.columns = [{ width: 36 }, { width: 24 }];
  sum.addRows([
    ['药店', storeName],
    ['日期', r.date],
    ['重点品种销售笔数', r.sales],
    ['应上报行数', r.expectedRows],
    ['平台已接收行数', r.acceptedRows],
    ['专册登记条数', r.registerEntries],
    ['差异条数', r.differences.length],
  ]);
  sum.getColumn(1).font = { bold: true };
  const diff = wb.addWorksheet('差异');
  diff.columns = [
    { header: '销售单号', key: 'saleNumber', width: 22 },
    { header: '药品', key: 'productName', width: 30 },
    { header: '差异', key: 'kind', width: 40 },
    { header: '销售数量', key: 'saleQuantity', width: 10 },
    { header: '专册数量', key: 'registerQuantity', width: 10 },
    { header: '上报状态', key: 'state', width: 12 },
    { header: '平台信息', key: 'message', width: 40 },
  ];
  for (const d of r.differences) diff.addRow({ ...d, kind: KIND_TEXT[d.kind] ?? d.kind });
  const reg = wb.addWorksheet('专册');
  reg.columns = [
    { header: '时间', key: 'time', width: 20 },
    { header: '销售单号', key: 'saleNumber', width: 22 },
    { header: '类别', key: 'categories', width: 8 },
    { header: '药品通用名', key: 'drugName', width: 30 },
    { header: '规格', key: 'spec', width: 16 },
    { header: '数量', key: 'quantity', width: 8 },
    { header: '生产企业', key: 'manufacturer', width: 24 },
    { header: '批号', key: 'batch', width: 14 },
    { header: '购药人', key: 'buyerName', width: 10 },
    { header: '身份证号', key: 'buyerId', width: 22 },
  ];
  for (const e of register) reg.addRow({ ...e, time: chinaDateTime(e.at) });
  for (const ws of [diff, reg]) ws.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
