import { insertedId, rawRows, type Queryable } from './tx.js';

export type SaleStatus = 'open' | 'completed' | 'cancelled';

export interface SaleRow {
  id: number;
  unitId: number;
  stationId: number | null;
  number: string;
  status: SaleStatus;
  buyer: { nameEnc: string | null; idEnc: string | null; idIndex: string | null; phoneEnc: string | null; residenceEnc: string | null };
  prescription: { number: string | null; prescriber: string | null; hospital: string | null; date: string | null; photo: string | null };
  ruleSetId: number | null;
  warnings: string | null;
  createdAt: number;
  completedAt: number | null;
}

export interface SaleLineRow {
  id: number;
  saleId: number;
  code: string;
  traceable: boolean;
  productId: number;
  packs: number;
  categories: string;
  batch: string | null;
  addedAt: number;
}

type Raw = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
const toSale = (r: Raw): SaleRow => ({
  id: Number(r.id),
  unitId: Number(r.unit_id),
  stationId: r.station_id === null ? null : Number(r.station_id),
  number: String(r.number),
  status: r.status as SaleStatus,
  buyer: { nameEnc: str(r.buyer_name_enc), idEnc: str(r.buyer_id_enc), idIndex: str(r.buyer_id_index), phoneEnc: str(r.buyer_phone_enc), residenceEnc: str(r.buyer_residence_enc) },
  prescription: { number: str(r.prescription_no), prescriber: str(r.prescriber), hospital: str(r.prescription_hospital), date: str(r.prescription_date), photo: str(r.prescription_photo) },
  ruleSetId: r.rule_set_id === null ? null : Number(r.rule_set_id),
  warnings: str(r.warnings),
  createdAt: Number(r.created_at),
  completedAt: r.completed_at === null ? null : Number(r.completed_at),
});
const toLine = (r: Raw): SaleLineRow => ({
  id: Number(r.id),
  saleId: Number(r.sale_id),
  code: String(r.code),
  traceable: Boolean(r.traceable),
  productId: Number(r.product_id),
  packs: Number(r.packs),
  categories: String(r.categories),
  batch: str(r.batch),
  addedAt: Number(r.added_at),
});

/** Retail sales, their lines and the dedicated register; the completing writes are set-based. */
export class SalesRepository {
  async create(q: Queryable, s: { unitId: number; stationId: number | null; operatorId: number | null; at: number }): Promise<SaleRow> {
    const id = insertedId(await q('sales').insert({ unit_id: s.unitId, station_id: s.stationId, number: `open-${s.at}-${Math.random().toString(36).slice(2, 8)}`, status: 'open', created_by: s.operatorId, created_at: s.at }).returning('id'));
    // The number a pharmacist reads out: day and sequence, unique per unit.
    const day = new Date(s.at + 8 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '');
    await q('sales').where({ id }).update({ number: `LS${day}-${String(id).padStart(6, '0')}` });
    return (await this.get(q, id))!;
  }

  async get(q: Queryable, id: number): Promise<SaleRow | undefined> {
    const r = (await q('sales').where({ id }).first()) as Raw | undefined;
    return r ? toSale(r) : undefined;
  }

  async openAt(q: Queryable, unitId: number, stationId: number): Promise<SaleRow | undefined> {
    const r = (await q('sales').where({ unit_id: unitId, station_id: stationId, status: 'open' }).orderBy('id', 'desc').first()) as Raw | undefined;
    return r ? toSale(r) : undefined;
  }

  async lines(q: Queryable, saleId: number): Promise<SaleLineRow[]> {
    return ((await q('sale_lines').where({ sale_id: saleId }).orderBy('id')) as Raw[]).map(toLine);
  }

  async addLine(q: Queryable, l: Omit<SaleLineRow, 'id'>): Promise<void> {
    await q('sale_lines').insert({ sale_id: l.saleId, code: l.code, traceable: l.traceable, product_id: l.productId, packs: l.packs, categories: l.categories, batch: l.batch, added_at: l.addedAt });
  }

  async addPack(q: Queryable, lineId: number): Promise<void> {
    await q('sale_lines').where({ id: lineId }).increment('packs', 1);
  }

  async removeLine(q: Queryable, saleId: number, lineId: number): Promise<number> {
    return q('sale_lines').where({ sale_id: saleId, id: lineId }).delete();
  }

  async update(q: Queryable, id: number, patch: Raw): Promise<void> {
    await q('sales').where({ id }).update(patch);
  }

  /** The open sale a code is on right now, if any (a pack cannot be on two counters at once). */
  async openSaleOf(q: Queryable, unitId: number, code: string): Promise<{ saleId: number; number: string } | undefined> {
    const r = (await q('sale_lines as l').join('sales as s', 's.id', 'l.sale_id').where({ 'l.code': code, 's.unit_id': unitId, 's.status': 'open', 'l.traceable': true }).first('s.id', 's.number')) as Raw | undefined;
    return r ? { saleId: Number(r.id), number: String(r.number) } : undefined;
  }

  /** The completed sale that sold this code (for "sold before on …"). */
  async soldBy(q: Queryable, unitId: number, code: string): Promise<{ number: string; at: number } | undefined> {
    const r = (await q('sale_lines as l').join('sales as s', 's.id', 'l.sale_id').where({ 'l.code': code, 's.unit_id': unitId, 's.status': 'completed', 'l.traceable': true }).first('s.number', 's.completed_at')) as Raw | undefined;
    return r ? { number: String(r.number), at: Number(r.completed_at) } : undefined;
  }

  /**
   * Every traced pack of the sale leaves stock in one statement pair; the count tells the caller
   * whether each was still in stock (a pack sold at another counter meanwhile is not).
   */
  async sellCodes(q: Queryable, movementId: number, unitId: number, saleId: number, at: number): Promise<{ moved: number; expected: number }> {
    await q.raw(
      `INSERT INTO movement_codes (movement_id, code, level, from_state, to_state, from_document_id, to_document_id)
       SELECT ?, cs.code, cs.level, cs.state, 'sold', cs.document_id, NULL
       FROM sale_lines l JOIN code_states cs ON cs.unit_id = ? AND cs.code = l.code
       WHERE l.sale_id = ? AND l.traceable = ? AND cs.state = 'in_stock'`,
      [movementId, unitId, saleId, true],
    );
    const moved = await q('code_states')
      .where({ unit_id: unitId, state: 'in_stock' })
      .whereIn('code', q('sale_lines').where({ sale_id: saleId, traceable: true }).select('code'))
      .update({ state: 'sold', movement_id: movementId, document_id: null, updated_at: at });
    const expected = Number(((await q('sale_lines').where({ sale_id: saleId, traceable: true }).count({ n: '*' }).first()) as { n: number | string }).n);
    return { moved: Number(moved), expected };
  }

  /** 专册 entries: one per product and batch of the sale's key-variety lines, set-based. */
  async writeRegister(q: Queryable, saleId: number, unitId: number, buyer: { nameEnc: string | null; idEnc: string | null; idIndex: string | null }, at: number): Promise<void> {
    await q.raw(
      `INSERT INTO register_entries (sale_id, unit_id, product_id, categories, drug_name, spec, manufacturer, approval_no, batch, quantity, buyer_name_enc, buyer_id_enc, buyer_id_index, at)
       SELECT l.sale_id, ?, l.product_id, l.categories, COALESCE(p.generic_name, p.name), p.spec, p.manufacturer, p.approval_no, l.batch, SUM(l.packs), ?, ?, ?, ?
       FROM sale_lines l JOIN products p ON p.id = l.product_id
       WHERE l.sale_id = ? AND l.categories <> ''
       GROUP BY l.sale_id, l.product_id, l.categories, p.generic_name, p.name, p.spec, p.manufacturer, p.approval_no, l.batch`,
      [unitId, buyer.nameEnc, buyer.idEnc, buyer.idIndex, at, saleId],
    );
  }

  /** Key-variety packs this buyer took since `since` (for the per-person window rules). */
  async buyerHistory(q: Queryable, idIndex: string, since: number): Promise<Array<{ categories: string; packs: number; at: number }>> {
    const rows = rawRows<Raw>(await q.raw(`SELECT categories, SUM(quantity) AS packs, at FROM register_entries WHERE buyer_id_index = ? AND at >= ? GROUP BY sale_id, categories, at`, [idIndex, since]));
    return rows.map((r) => ({ categories: String(r.categories), packs: Number(r.packs), at: Number(r.at) }));
  }
}
