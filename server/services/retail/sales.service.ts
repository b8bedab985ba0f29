import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import type { UnitsRepository } from '../../../db/repositories/units.repository.js';
import { SalesRepository, type SaleLineRow, type SaleRow } from '../../../db/repositories/sales.repository.js';
import { withWriteTx } from '../../../db/repositories/tx.js';
import type { SaleBuyerBody, SalePrescriptionBody, SaleView, SaleViolationView } from '../../contract/retail.js';
import { evaluateSale, parseDrugTypeField, type RetailRules, type SaleDecision, type Violation } from '../../domain/retail-rules/index.js';
import { openBlob, sealBlob } from '../../security/blob-crypto.js';
import type { FieldCipher } from '../../security/field-crypto.js';
import { DAY_MS } from '../../domain/china-time.js';
import { AppError } from '../app-error.js';
import type { DockRepos } from '../dock/repos.js';
import { LocalizedAppError } from '../localized-error.js';
import type { ScanActor } from '../scan.service.js';
import type { BuyerData } from './buyer-data.js';
import { enqueueGansuRows } from './gansu-rows.js';
import type { RuleSets } from './rule-sets.js';
import { applySaleCode, planSaleCode, typedSaleScan } from './sale-code.js';
import { parkOthers, requireRetailStation } from './station-sales.js';

export interface SalesDeps {
  knex: Knex;
  dock: DockRepos;
  units: UnitsRepository;
  ruleSets: RuleSets;
  buyers: BuyerData;
  cipher: FieldCipher;
  photoKey: Buffer;
  dataDir: string;
  now: () => number;
  /** After a completed sale committed: the Gansu worker may start at once. */
  wake?: () => void;
}

const PHOTO_TYPES: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png' };
const MAX_PHOTO = 5 * 1024 * 1024;

const violationView = (v: Violation): SaleViolationView => ({ ruleId: v.ruleId, code: v.code, action: v.action, lines: v.lines, message: v.message, ...(v.reference ? { reference: v.reference } : {}) });

/**
 * The retail counter: a sale collects packs (trace codes; a commodity barcode only for products
 * exempt from coding), the buyer and the prescription; the rule table decides live what the sale
 * still needs and whether it may complete. Completing ships the packs, writes the 专册 entries
 * and the Gansu rows — one transaction.
 */
export class SalesService {
  private readonly sales = new SalesRepository();

  constructor(private readonly d: SalesDeps) {}

  async open(actor: ScanActor, stationId: number | null): Promise<SaleView> {
    const s = await withWriteTx(this.d.knex, async (trx) => {
      if (stationId !== null) {
        await requireRetailStation(trx, stationId);
        await parkOthers(trx, actor.unitId, stationId, null);
      }
      return this.sales.create(trx, { unitId: actor.unitId, stationId, operatorId: actor.operatorId, at: this.d.now() });
    });
    return this.detail(actor.unitId, s.id);
  }

  async require(q: Knex | Knex.Transaction, unitId: number, id: number): Promise<SaleRow> {
    const s = await this.sales.get(q, id);
    if (!s || s.unitId !== unitId) throw new AppError('SALE_NOT_FOUND', 404);
    return s;
  }

  private async requireOpen(q: Knex.Transaction, unitId: number, id: number): Promise<SaleRow> {
    const s = await this.require(q, unitId, id);
    if (s.status !== 'open') throw new AppError('SALE_CLOSED', 409);
    return s;
  }

  /** One scan at the counter: a traced pack in stock, or an exempt product's commodity barcode. */
  async addCode(actor: ScanActor, saleId: number, raw: string): Promise<SaleView> {
    await withWriteTx(this.d.knex, async (trx) => {
      await this.requireOpen(trx, actor.unitId, saleId);
      const plan = await planSaleCode(trx, { dock: this.d.dock, sales: this.sales }, actor.unitId, saleId, typedSaleScan(raw), this.d.now());
      if (!plan.ok) throw new LocalizedAppError('SALE_CODE_REFUSED', 409, plan.refusal.message);
      await applySaleCode(trx, this.sales, saleId, plan);
    });
    return this.detail(actor.unitId, saleId);
  }

  /**
   * Puts an open sale on a retail station's counter: from now on the station's scanner feeds it.
   * A station works on one sale at a time, so the sale it had is parked (still open, on no
   * station) and can be resumed from the open-sales list.
   */
  async resume(actor: ScanActor, saleId: number, stationId: number | null): Promise<SaleView> {
    await withWriteTx(this.d.knex, async (trx) => {
      await this.requireOpen(trx, actor.unitId, saleId);
      if (stationId === null) return;
      await requireRetailStation(trx, stationId);
      await parkOthers(trx, actor.unitId, stationId, saleId);
      await this.sales.update(trx, saleId, { station_id: stationId });
    });
    return this.detail(actor.unitId, saleId);
  }

  /** The sale a retail station's scanner feeds now, if it has one. */
  async atStation(unitId: number, stationId: number): Promise<SaleView | null> {
    const s = await this.sales.openAt(this.d.knex, unitId, stationId);
    return s ? this.detail(unitId, s.id) : null;
  }

  async removeLine(actor: ScanActor, saleId: number, lineId: number): Promise<SaleView> {
    await withWriteTx(this.d.knex, async (trx) => {
      await this.requireOpen(trx, actor.unitId, saleId);
      if ((await this.sales.removeLine(trx, saleId, lineId)) === 0) throw new AppError('SALE_LINE_NOT_FOUND', 404);
    });
    return this.detail(actor.unitId, saleId);
  }

  async setBuyer(actor: ScanActor, saleId: number, b: SaleBuyerBody): Promise<SaleView> {
    await withWriteTx(this.d.knex, async (trx) => {
      await this.requireOpen(trx, actor.unitId, saleId);
      await this.sales.update(trx, saleId, this.d.buyers.columns(b));
    });
    return this.detail(actor.unitId, saleId);
  }

  async setPrescription(actor: ScanActor, saleId: number, p: SalePrescriptionBody): Promise<SaleView> {
    await withWriteTx(this.d.knex, async (trx) => {
      await this.requireOpen(trx, actor.unitId, saleId);
      await this.sales.update(trx, saleId, { prescription_no: p.number ?? null, prescriber: p.prescriber ?? null, prescription_hospital: p.hospital ?? null, prescription_date: p.date ?? null });
    });
    return this.detail(actor.unitId, saleId);
  }

  /** The photo of the paper prescription, encrypted at rest under the data directory. */
  async setPhoto(actor: ScanActor, saleId: number, contentType: string | undefined, bytes: Buffer): Promise<SaleView> {
    const ext = PHOTO_TYPES[(contentType ?? '').split(';')[0]!.trim()];
    const magicOk = ext === 'jpg' ? bytes[0] === 0xff && bytes[1] === 0xd8 : ext === 'png' ? bytes.subarray(1, 4).toString('latin1') === 'PNG' : false;
    if (!ext || !magicOk || bytes.length === 0 || bytes.length > MAX_PHOTO) throw new AppError('SALE_PHOTO_INVALID', 400);
    const dir = path.join(this.d.dataDir, 'prescriptions');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const name = `${crypto.randomUUID()}.${ext}.sealed`;
    fs.writeFileSync(path.join(dir, name), sealBlob(this.d.photoKey, bytes), { mode: 0o600 });
    await withWriteTx(this.d.knex, async (trx) => {
      await this.requireOpen(trx, actor.unitId, saleId);
      await this.sales.update(trx, saleId, { prescription_photo: name });
    });
    return this.detail(actor.unitId, saleId);
  }

  async photo(unitId: number, saleId: number): Promise<{ type: string; bytes: Buffer } | undefined> {
    const s = await this.require(this.d.knex, unitId, saleId);
    if (!s.prescription.photo) return undefined;
    const bytes = openBlob(this.d.photoKey, fs.readFileSync(path.join(this.d.dataDir, 'prescriptions', path.basename(s.prescription.photo))));
    return { type: s.prescription.photo.includes('.png.') ? 'image/png' : 'image/jpeg', bytes };
  }

  /** Product names of the sale's lines, one query for the whole sale. */
  private async namesOf(q: Knex | Knex.Transaction, lines: SaleLineRow[]): Promise<Map<number, string>> {
    return new Map(((await q('products').whereIn('id', [...new Set(lines.map((l) => l.productId))]).select('id', 'name')) as Array<{ id: number; name: string }>).map((p) => [Number(p.id), p.name]));
  }

  private async decide(q: Knex | Knex.Transaction, s: SaleRow, lines: SaleLineRow[], rules: RetailRules, names: Map<number, string>): Promise<SaleDecision> {
    const buyer = this.d.buyers.read(s);
    const history = s.buyer.idIndex && buyer?.idNumber
      ? (await this.sales.buyerHistory(q, s.buyer.idIndex, this.d.now() - 366 * DAY_MS)).map((h) => ({ idNumber: buyer.idNumber!, categories: [...parseDrugTypeField(h.categories).categories], packs: h.packs, at: h.at }))
      : [];
    return evaluateSale(
      {
        lines: lines.map((l) => ({ productId: l.productId, name: names.get(l.productId) ?? String(l.productId), categories: [...parseDrugTypeField(l.categories).categories], packs: l.packs })),
        buyer,
        prescription: { number: s.prescription.number ?? undefined, prescriber: s.prescription.prescriber ?? undefined, hospital: s.prescription.hospital ?? undefined, date: s.prescription.date ?? undefined, photoRef: s.prescription.photo ?? undefined },
        history,
        now: new Date(this.d.now()),
      },
      rules,
    );
  }

  async detail(unitId: number, id: number): Promise<SaleView> {
    const s = await this.require(this.d.knex, unitId, id);
    const lines = await this.sales.lines(this.d.knex, id);
    const rules = await this.d.ruleSets.current(this.d.knex, unitId);
    const names = await this.namesOf(this.d.knex, lines);
    const decision = await this.decide(this.d.knex, s, lines, rules.rules, names);
    return {
      id: s.id,
      number: s.number,
      status: s.status,
      stationId: s.stationId,
      lines: lines.map((l) => ({ id: l.id, code: l.code, traceable: l.traceable, productId: l.productId, productName: names.get(l.productId) ?? '', categories: [...parseDrugTypeField(l.categories).categories], packs: l.packs, batch: l.batch })),
      buyer: this.d.buyers.masked(this.d.buyers.read(s)),
      prescription: { number: s.prescription.number, prescriber: s.prescription.prescriber, hospital: s.prescription.hospital, date: s.prescription.date, photo: !!s.prescription.photo },
      evaluation: { allowed: decision.allowed, blocks: decision.blocks.map(violationView), warnings: decision.warnings.map(violationView), needs: decision.needs.map((n) => n.field) },
      ruleSetId: s.ruleSetId ?? rules.id,
      createdAt: s.createdAt,
      completedAt: s.completedAt,
    };
  }

  /**
   * Decided again inside the transaction with the rule table as it is now; a block refuses the
   * whole completion (SALE_BLOCKED with the rules in words) and nothing is written.
   */
  async complete(actor: ScanActor, saleId: number): Promise<SaleView> {
    await withWriteTx(this.d.knex, async (trx) => {
      const s = await this.requireOpen(trx, actor.unitId, saleId);
      const lines = await this.sales.lines(trx, saleId);
      if (lines.length === 0) throw new AppError('SALE_EMPTY', 409);
      const rules = await this.d.ruleSets.current(trx, actor.unitId);
      const decision = await this.decide(trx, s, lines, rules.rules, await this.namesOf(trx, lines));
      if (!decision.allowed) {
        const zh = decision.blocks.map((b) => b.message['zh-CN']).join('；');
        const en = decision.blocks.map((b) => b.message.en).join('; ');
        throw new LocalizedAppError('SALE_BLOCKED', 409, { 'zh-CN': zh || '这笔销售还缺少必要信息', en: en || 'The sale still lacks required information' });
      }
      const at = this.d.now();
      const movementId = await this.d.dock.movements.append(trx, { unitId: actor.unitId, kind: 'sale', documentId: null, scanId: null, stationId: s.stationId, operatorId: actor.operatorId, reason: s.number, at });
      const sold = await this.sales.sellCodes(trx, movementId, actor.unitId, saleId, at);
      if (sold.moved !== sold.expected) throw refused('有药盒已不在库存中（可能已在别处售出），请重新扫描', 'A pack is no longer in stock (sold elsewhere?) — scan the sale again');
      const buyer = this.d.buyers.read(s);
      await this.sales.writeRegister(trx, saleId, actor.unitId, this.d.buyers.forRegister(buyer), at);
      const unit = await this.d.units.get(actor.unitId, trx);
      await enqueueGansuRows(trx, this.d.cipher, { saleId, unitId: actor.unitId, store: { name: unit?.name ?? '', uscc: unit?.uscc ?? '' }, buyer, at });
      await this.sales.update(trx, saleId, { status: 'completed', completed_at: at, completed_by: actor.operatorId, movement_id: movementId, rule_set_id: rules.id, warnings: decision.warnings.length ? JSON.stringify(decision.warnings.map(violationView)) : null });
    });
    this.d.wake?.();
    return this.detail(actor.unitId, saleId);
  }

  async cancel(actor: ScanActor, saleId: number, reason: string): Promise<SaleView> {
    await withWriteTx(this.d.knex, async (trx) => {
      await this.requireOpen(trx, actor.unitId, saleId);
      await this.sales.update(trx, saleId, { status: 'cancelled', cancel_reason: reason, completed_at: this.d.now(), completed_by: actor.operatorId });
    });
    return this.detail(actor.unitId, saleId);
  }
}

function refused(zh: string, en: string): LocalizedAppError {
  return new LocalizedAppError('SALE_CODE_REFUSED', 409, { 'zh-CN': zh, en });
}
