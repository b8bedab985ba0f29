import type { Knex } from 'knex';
import { rawRows } from '../../../db/repositories/tx.js';
import type { RetailDifference, RetailReconciliation } from '../../contract/retail.js';
import { chinaDayStart, DAY_MS as DAY } from '../../domain/china-time.js';


/**
 * 对账 for one day and store: every key-variety product of every completed sale must have its
 * Gansu row accepted by the platform and its 专册 entry with the same quantity. One statement joins
 * the three; any gap is listed with the sale, so a row lost from the outbox (deleted by hand, a
 * failed write) or refused by the platform is found the same day.
 */
export async function reconcileRetailDay(knex: Knex, unitId: number, date: string): Promise<RetailReconciliation> {
  const from = chinaDayStart(date);
  const rows = rawRows<Record<string, unknown>>(
    await knex.raw(
      `WITH owed AS (
         SELECT s.id AS sale_id, s.number, l.product_id, SUM(l.packs) AS quantity
         FROM sales s JOIN sale_lines l ON l.sale_id = s.id
         WHERE s.unit_id = ? AND s.status = 'completed' AND s.completed_at >= ? AND s.completed_at < ? AND l.categories <> ''
         GROUP BY s.id, s.number, l.product_id
       ), reg AS (
         SELECT sale_id, product_id, SUM(quantity) AS quantity, COUNT(*) AS entries FROM register_entries
         WHERE unit_id = ? AND sale_id IN (SELECT sale_id FROM owed) GROUP BY sale_id, product_id
       )
       SELECT o.sale_id, o.number, o.product_id, p.name, o.quantity, r.quantity AS reg_quantity, r.entries, u.state, u.message
       FROM owed o
       JOIN products p ON p.id = o.product_id
       LEFT JOIN reg r ON r.sale_id = o.sale_id AND r.product_id = o.product_id
       LEFT JOIN upload_records u ON u.unit_id = ? AND u.platform = 'gansu' AND u.operation = 'saveSaleData'
         AND u.record_key = 'sale:' || o.sale_id || ':' || o.product_id
       ORDER BY o.sale_id, o.product_id`,
      [unitId, from, from + DAY, unitId, unitId],
    ),
  );
  const differences: RetailDifference[] = [];
  let accepted = 0;
  let entries = 0;
  const sales = new Set<number>();
  for (const r of rows) {
    const base = { saleId: Number(r.sale_id), saleNumber: String(r.number), productId: Number(r.product_id), productName: String(r.name), state: (r.state as string | null) ?? null, message: (r.message as string | null) ?? null, saleQuantity: Number(r.quantity), registerQuantity: r.reg_quantity === null ? null : Number(r.reg_quantity) };
    sales.add(base.saleId);
    entries += Number(r.entries ?? 0);
    if (base.state === null) differences.push({ ...base, kind: 'row_missing' });
    else if (base.state !== 'accepted') differences.push({ ...base, kind: 'row_not_accepted' });
    else accepted++;
    if (base.registerQuantity === null) differences.push({ ...base, kind: 'register_missing' });
    else if (base.registerQuantity !== base.saleQuantity) differences.push({ ...base, kind: 'register_quantity' });
  }
  return { date, unitId, sales: sales.size, expectedRows: rows.length, acceptedRows: accepted, registerEntries: entries, differences };
}
