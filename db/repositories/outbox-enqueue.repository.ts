import type { Queryable } from './tx.js';

/**
 * Writes due upload records set-based, inside the transaction of the event that makes them due:
 * one INSERT … SELECT per operation however many codes a document moved. The payload is a snapshot
 * of the canonical fields at that moment; the interface profile maps it to the platform's names
 * only when a call is packed, so a new profile needs no re-enqueueing.
 */
export interface OperationTarget {
  operation: string;
  /** Product kinds (drug-domestic, drug-imported, consumable) the operation applies to; absent = all. */
  kinds?: readonly string[];
}

const isPg = (q: Queryable) => (q.client.config.client as string) === 'pg';

/** `json_object(…)` on SQLite, `json_build_object(…)::text` on PostgreSQL. */
function jsonObject(q: Queryable, fields: ReadonlyArray<readonly [string, string]>): string {
  const args = fields.map(([k, expr]) => `'${k}', ${expr}`).join(', ');
  return isPg(q) ? `json_build_object(${args})::text` : `json_object(${args})`;
}

/**
 * The product kind the guide's three product operations split on. Imported drugs carry an import
 * approval number (国药准字HJ/SJ/ZJ…, 进口药品注册证, 医药产品注册证); consumables have a C-code.
 */
export const PRODUCT_KIND_SQL = `CASE WHEN pr.nhsa_kind = 'consumable' THEN 'consumable'
  WHEN pr.approval_no LIKE '国药准字_J%' OR pr.approval_no LIKE '进口%' OR pr.approval_no LIKE '医药产品注册证%' THEN 'drug-imported'
  ELSE 'drug-domestic' END`;

const PRODUCT_FIELDS = [
  ['productCode', 'pr.code'],
  ['nhsaCode', 'pr.nhsa_code'],
  ['productName', 'pr.name'],
  ['genericName', 'pr.generic_name'],
  ['spec', 'pr.spec'],
  ['packageSpec', 'pr.package_spec'],
  ['dosageForm', 'pr.dosage_form'],
  ['approvalNo', 'pr.approval_no'],
  ['manufacturer', 'pr.manufacturer'],
  ['ratio', 'pr.ratio'],
] as const;

const commodityCode = (level: string) =>
  `(SELECT MIN(pc.value) FROM product_codes pc WHERE pc.product_id = pr.id AND pc.kind = 'gtin' AND pc.status = 'active' AND pc.level = ${level})`;

const kindFilter = (t: OperationTarget): [string, string[]] =>
  t.kinds?.length ? [` AND ${PRODUCT_KIND_SQL} IN (${t.kinds.map(() => '?').join(', ')})`, [...t.kinds]] : ['', []];

async function logQueued(q: Queryable, where: string, bindings: Array<string | number>, at: number): Promise<void> {
  await q.raw(
    `INSERT INTO upload_events (record_id, unit_id, operation, code, event, at)
     SELECT id, unit_id, operation, code, 'queued', ? FROM upload_records WHERE ${where}`,
    [at, ...bindings],
  );
}

export class OutboxEnqueueRepository {
  /** Every code a completed document moved, once per operation, with the FAQ's circulation fields. */
  async document(q: Queryable, documentId: number, targets: readonly OperationTarget[], at: number): Promise<void> {
    const payload = jsonObject(q, [
      ['traceCode', 'mc.code'],
      ['parentCode', 'p.parent_code'],
      ['packLevel', 'COALESCE(cs.level, mc.level)'],
      ['batch', 'COALESCE(cs.batch, p.batch)'],
      ['madeDate', 'p.made_date'],
      ['expiry', 'COALESCE(cs.expiry, p.expiry)'],
      ...PRODUCT_FIELDS,
      ['commodityCode', commodityCode('COALESCE(cs.level, mc.level)')],
      ['direction', 'cr.direction'],
      ['documentNumber', 'd.number'],
      ['documentType', 'd.type'],
      ['circulationUnitName', 'cr.circulation_unit_name'],
      ['circulationUnitUscc', 'cr.circulation_unit_uscc'],
      ['circulationTime', 'cr.circulation_time'],
      ['shipperName', 'cr.shipper_name'],
      ['shipperUscc', 'cr.shipper_uscc'],
      ['shipTime', 'cr.ship_time'],
      ['shipStatus', 'cr.ship_status'],
      ['receiverName', 'cr.receiver_name'],
      ['receiverUscc', 'cr.receiver_uscc'],
      ['receiveTime', 'cr.receive_time'],
      ['receiveStatus', 'cr.receive_status'],
    ]);
    for (const t of targets) {
      const [filter, kinds] = kindFilter(t);
      await q.raw(
        `INSERT INTO upload_records (unit_id, platform, operation, record_key, code, document_id, source, payload, state, attempts, next_attempt_at, created_at, updated_at)
         SELECT cr.unit_id, 'nhsa', ?, 'doc:' || cr.document_id || ':' || mc.code, mc.code, cr.document_id, 'document', ${payload}, 'pending', 0, ?, ?, ?
         FROM circulation_records cr
         JOIN documents d ON d.id = cr.document_id
         JOIN movement_codes mc ON mc.movement_id = cr.movement_id
         LEFT JOIN code_states cs ON cs.unit_id = cr.unit_id AND cs.code = mc.code
         LEFT JOIN packs p ON p.code = mc.code
         LEFT JOIN products pr ON pr.id = COALESCE(cs.product_id, p.product_id)
         WHERE cr.document_id = ?${filter}
         ON CONFLICT DO NOTHING`,
        [t.operation, at, at, at, documentId, ...kinds],
      );
      await logQueued(q, 'document_id = ? AND operation = ? AND created_at = ?', [documentId, t.operation, at], at);
    }
  }

  /** A manufacturer's product information, one record per product version (its updated_at). */
  async products(q: Queryable, unitId: number, productIds: readonly number[], targets: readonly OperationTarget[], at: number): Promise<void> {
    if (productIds.length === 0) return;
    const payload = jsonObject(q, [...PRODUCT_FIELDS, ['commodityCode', commodityCode('1')]]);
    const list = isPg(q) ? 'SELECT value::integer FROM json_array_elements_text(?::json)' : 'SELECT value FROM json_each(?)';
    for (const t of targets) {
      const [filter, kinds] = kindFilter(t);
      await q.raw(
        `INSERT INTO upload_records (unit_id, platform, operation, record_key, code, document_id, source, payload, state, attempts, next_attempt_at, created_at, updated_at)
         SELECT ?, 'nhsa', ?, 'product:' || pr.id || ':' || pr.updated_at, NULL, NULL, 'product', ${payload}, 'pending', 0, ?, ?, ?
         FROM products pr WHERE pr.id IN (${list})${filter}
         ON CONFLICT DO NOTHING`,
        [unitId, t.operation, at, at, at, JSON.stringify(productIds), ...kinds],
      );
      await logQueued(q, "unit_id = ? AND operation = ? AND source = 'product' AND created_at = ?", [unitId, t.operation, at], at);
    }
  }

  /** 追溯码信息上传: the three-code mapping and parent of every pack a relation import brought. */
  async hierarchy(q: Queryable, unitId: number, importId: number, targets: readonly OperationTarget[], at: number): Promise<void> {
    const payload = jsonObject(q, [
      ['traceCode', 'p.code'],
      ['parentCode', 'p.parent_code'],
      ['packLevel', 'p.level'],
      ['batch', 'p.batch'],
      ['madeDate', 'p.made_date'],
      ['expiry', 'p.expiry'],
      ...PRODUCT_FIELDS,
      ['commodityCode', commodityCode('p.level')],
    ]);
    for (const t of targets) {
      const [filter, kinds] = kindFilter(t);
      await q.raw(
        `INSERT INTO upload_records (unit_id, platform, operation, record_key, code, document_id, source, payload, state, attempts, next_attempt_at, created_at, updated_at)
         SELECT ?, 'nhsa', ?, 'trace:' || p.code, p.code, NULL, 'hierarchy', ${payload}, 'pending', 0, ?, ?, ?
         FROM packs p LEFT JOIN products pr ON pr.id = p.product_id
         WHERE p.import_id = ?${filter}
         ON CONFLICT DO NOTHING`,
        [unitId, t.operation, at, at, at, importId, ...kinds],
      );
      await logQueued(q, "unit_id = ? AND operation = ? AND source = 'hierarchy' AND created_at = ?", [unitId, t.operation, at], at);
    }
  }
}

