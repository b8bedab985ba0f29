import type { Knex } from 'knex';
import { insertJsonRows, type JsonColumn } from '../../../db/repositories/json-bulk.js';
import type { FieldCipher } from '../../security/field-crypto.js';
import { drugTypeField, parseDrugTypeField } from '../../domain/retail-rules/index.js';
import type { Buyer } from './buyer-data.js';

const COLUMNS: JsonColumn[] = [
  { name: 'unit_id', type: 'integer' },
  { name: 'platform', type: 'text' },
  { name: 'operation', type: 'text' },
  { name: 'record_key', type: 'text' },
  { name: 'source', type: 'text' },
  { name: 'payload', type: 'text' },
  { name: 'state', type: 'text' },
  { name: 'attempts', type: 'integer' },
  { name: 'next_attempt_at', type: 'bigint' },
  { name: 'created_at', type: 'bigint' },
  { name: 'updated_at', type: 'bigint' },
];

export const GANSU_PAYLOAD_CONTEXT = 'upload_records.payload' as const;

/**
 * The saveSaleData rows a completed sale owes the Gansu platform (一笔不少、一盒不漏): one per
 * key-variety product of the sale with its quantity, the buyer, the store's own name and USCC
 * (each store of a chain reports as itself), the sale time in Unix seconds, dataSource 1 (ERP).
 * Written in the completion's transaction; the payload holds personal data, so it is encrypted.
 */
export async function enqueueGansuRows(
  trx: Knex.Transaction,
  cipher: FieldCipher,
  s: { saleId: number; unitId: number; store: { name: string; uscc: string }; buyer: Buyer | undefined; at: number },
): Promise<number> {
  const lines = (await trx('sale_lines as l')
    .join('products as p', 'p.id', 'l.product_id')
    .where('l.sale_id', s.saleId)
    .whereNot('l.categories', '')
    .groupBy('l.product_id', 'l.categories', 'p.generic_name', 'p.name', 'p.approval_no')
    .select('l.product_id', 'l.categories', 'p.generic_name', 'p.name', 'p.approval_no')
    .sum({ quantity: 'l.packs' })) as Array<{ product_id: number; categories: string; generic_name: string | null; name: string; approval_no: string | null; quantity: number | string }>;
  const rows = lines.map((l) => {
    const row = {
      drugType: drugTypeField(parseDrugTypeField(l.categories).categories),
      drugName: l.generic_name ?? l.name,
      quantity: Number(l.quantity),
      purchaserName: s.buyer?.name ?? '',
      purchaserId: s.buyer?.idNumber ?? '',
      purchaserPhone: s.buyer?.phone ?? '',
      purchaserResidence: s.buyer?.residence ?? '',
      drugstoreName: s.store.name,
      drugstoreTyshxydm: s.store.uscc,
      saleTime: Math.floor(s.at / 1000),
      approvalNo: l.approval_no ?? '',
      dataSource: '1',
    };
    return [s.unitId, 'gansu', 'saveSaleData', `sale:${s.saleId}:${l.product_id}`, 'sale', cipher.encrypt(JSON.stringify(row), GANSU_PAYLOAD_CONTEXT), 'pending', 0, s.at, s.at, s.at];
  });
  if (rows.length) await insertJsonRows(trx, 'upload_records', COLUMNS, rows);
  return rows.length;
}
