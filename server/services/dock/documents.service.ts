import type { Knex } from 'knex';
import { isUniqueViolation, type Queryable } from '../../../db/repositories/tx.js';
import type { DocumentRow } from '../../../db/repositories/documents.repository.js';
import type { UnitsRepository } from '../../../db/repositories/units.repository.js';
import {
  DOCUMENT_TYPES,
  type CirculationRecordView,
  type CreateDocumentBody,
  type DocumentDetailView,
  type DocumentView,
  type ExpectedBody,
  type ReconciliationView,
} from '../../contract/dock.js';
import { AppError } from '../app-error.js';
import type { ScanActor } from '../scan.service.js';
import { writeCirculationRecord } from './circulation.js';
import type { OutboxEnqueuer } from '../uploads/enqueuer.js';
import type { DockRepos } from './repos.js';

export function toDocumentView(d: DocumentRow): DocumentView {
  const types = DOCUMENT_TYPES[d.direction] as Record<string, { 'zh-CN': string; en: string }>;
  return {
    id: d.id,
    unitId: d.unitId,
    direction: d.direction,
    number: d.number,
    type: d.type,
    typeLabel: types[d.type] ?? { 'zh-CN': d.type, en: d.type },
    counterparty: { id: d.counterpartyId, name: d.counterpartyName, uscc: d.counterpartyUscc },
    deliveryNote: d.deliveryNote,
    status: d.status,
    createdAt: d.createdAt,
    completedAt: d.completedAt,
    hasExpected: d.hasExpected,
  };
}

/** Inbound and outbound documents: creation with expected content, live reconciliation, completion. */
export class DocumentsService {
  constructor(
    private readonly knex: Knex,
    private readonly repos: DockRepos,
    private readonly units: UnitsRepository,
    private readonly now: () => number = Date.now,
    private readonly outbox?: OutboxEnqueuer,
  ) {}

  async create(actor: ScanActor, body: CreateDocumentBody): Promise<DocumentView> {
    if (!(body.type in DOCUMENT_TYPES[body.direction])) throw new AppError('DOCUMENT_TYPE_INVALID', 400);
    const id = await this.knex.transaction(async (trx) => {
      const cp = await trx('counterparties').where({ id: body.counterpartyId, unit_id: actor.unitId }).first('id');
      if (!cp) throw new AppError('COUNTERPARTY_REQUIRED', 400);
      let docId: number;
      try {
        docId = await this.repos.documents.insert(trx, {
          unitId: actor.unitId,
          direction: body.direction,
          number: body.number,
          type: body.type,
          counterpartyId: body.counterpartyId,
          deliveryNote: body.deliveryNote ?? null,
          createdBy: actor.operatorId,
          createdAt: this.now(),
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('DOCUMENT_NUMBER_TAKEN', 409);
        throw err;
      }
      if (body.expected) await this.insertExpected(trx, docId, body.expected);
      if (body.stationId !== undefined) await this.repos.context.update(trx, body.stationId, { documentId: docId, learnCode: null }, this.now());
      return docId;
    });
    return toDocumentView((await this.repos.documents.get(this.knex, id))!);
  }

  /** Adds expected content (from a file) to an open document; nothing is written when any row is bad. */
  async addExpected(unitId: number, id: number, e: ExpectedBody): Promise<DocumentDetailView> {
    await this.knex.transaction(async (trx) => {
      const d = await this.require(unitId, id, trx);
      if (d.status !== 'open') throw new AppError('DOCUMENT_CLOSED', 409);
      const [last] = (await trx('document_lines').where({ document_id: id }).max({ n: 'line_no' })) as Array<{ n: number | null }>;
      await this.insertExpected(trx, id, e, Number(last?.n ?? 0));
    });
    return this.detail(unitId, id);
  }

  private async insertExpected(trx: Knex.Transaction, documentId: number, e: ExpectedBody, offset = 0): Promise<void> {
    const lines: Array<{ lineNo: number; code: string | null; productId: number | null; quantity: number | null; batch: string | null }> = [];
    const codes = [...new Set(e.codes ?? [])];
    codes.forEach((code, i) => lines.push({ lineNo: offset + i + 1, code, productId: null, quantity: null, batch: null }));
    // Products of all lines in two statements (by id, by product number), however many lines.
    const given = e.lines ?? [];
    const byId = new Set((await this.repos.products.getMany(trx, [...new Set(given.flatMap((l) => (l.productId !== undefined ? [l.productId] : [])))])).map((p) => p.id));
    const byCode = new Map((await this.repos.products.getManyByCode(trx, [...new Set(given.flatMap((l) => (l.productId === undefined ? [l.productCode!] : [])))])).map((p) => [p.code, p.id]));
    for (const [i, l] of given.entries()) {
      const product = l.productId !== undefined ? (byId.has(l.productId) ? { id: l.productId } : undefined) : byCode.has(l.productCode!) ? { id: byCode.get(l.productCode!)! } : undefined;
      if (!product) throw new AppError('EXPECTED_INVALID', 400, { message: `line ${i + 1}: unknown product ${l.productId ?? l.productCode}` });
      lines.push({ lineNo: offset + codes.length + i + 1, code: null, productId: product.id, quantity: l.quantity, batch: l.batch ?? null });
    }
    await this.repos.documents.insertLines(trx, documentId, lines);
  }

  async list(unitId: number, f: { direction?: 'in' | 'out'; status?: 'open' | 'completed' | 'cancelled'; q?: string; limit: number }): Promise<DocumentView[]> {
    return (await this.repos.documents.list(this.knex, unitId, f)).map(toDocumentView);
  }

  async require(unitId: number, id: number, q: Queryable = this.knex): Promise<DocumentRow> {
    const d = await this.repos.documents.get(q, id);
    if (!d || d.unitId !== unitId) throw new AppError('DOCUMENT_NOT_FOUND', 404);
    return d;
  }

  async detail(unitId: number, id: number): Promise<DocumentDetailView> {
    const d = await this.require(unitId, id);
    return { document: toDocumentView(d), reconciliation: await this.reconciliation(this.knex, d), circulation: await this.circulation(id) };
  }

  async reconciliation(q: Queryable, d: DocumentRow): Promise<ReconciliationView> {
    const c = await this.repos.reconciliation.counts(q, d.unitId, d.id);
    const lines = c.lines.map((l) => ({ ...l, missing: Math.max(0, l.expected - l.received), over: Math.max(0, l.received - l.expected) }));
    const expected = lines.reduce((n, l) => n + l.expected, 0);
    const missing = lines.reduce((n, l) => n + l.missing, 0);
    const over = lines.reduce((n, l) => n + l.over, 0);
    const complete = d.hasExpected ? missing === 0 && over === 0 && c.unexpected === 0 : c.received > 0;
    return { documentId: d.id, status: d.status, expected, received: c.received, unexpected: c.unexpected, missing, complete, lines, missingCodes: c.missingCodes, unexpectedCodes: c.unexpectedCodes };
  }

  /**
   * Completion: inbound codes go into stock, outbound codes are shipped, and the circulation record
   * of the NHSA FAQ is written — all in one transaction.
   */
  async complete(actor: ScanActor, id: number, acceptShort: boolean): Promise<DocumentDetailView> {
    await this.knex.transaction(async (trx) => {
      const d = await this.require(actor.unitId, id, trx);
      if (d.status !== 'open') throw new AppError('DOCUMENT_CLOSED', 409);
      const r = await this.reconciliation(trx, d);
      if (r.received === 0) throw new AppError('DOCUMENT_EMPTY', 409);
      if (r.missing > 0 && !acceptShort) throw new AppError('DOCUMENT_INCOMPLETE', 409);
      const at = this.now();
      const movementId = await this.repos.movements.append(trx, { unitId: d.unitId, kind: 'complete', documentId: d.id, scanId: null, stationId: null, operatorId: actor.operatorId, at });
      const [from, to] = d.direction === 'in' ? (['receiving', 'in_stock'] as const) : (['picking', 'shipped'] as const);
      const moved = await this.repos.movements.moveDocument(trx, movementId, d.unitId, d.id, from, to, at);
      const unit = await this.units.get(d.unitId, trx);
      await writeCirculationRecord(trx, { document: d, unit: { name: unit?.name ?? '', uscc: unit?.uscc ?? '' }, movementId, at, codeCount: moved });
      if (unit) await this.outbox?.documentCompleted(trx, d, unit.type, at);
      await this.repos.documents.setStatus(trx, d.id, 'completed', actor.operatorId, at);
    });
    this.outbox?.wake();
    return this.detail(actor.unitId, id);
  }

  /** Cancelling: every code the document holds returns to where it was; the journal keeps it all. */
  async cancel(actor: ScanActor, id: number, reason: string): Promise<DocumentDetailView> {
    await this.knex.transaction(async (trx) => {
      const d = await this.require(actor.unitId, id, trx);
      if (d.status !== 'open') throw new AppError('DOCUMENT_CLOSED', 409);
      const at = this.now();
      const movementId = await this.repos.movements.append(trx, { unitId: d.unitId, kind: 'cancel', documentId: d.id, scanId: null, stationId: null, operatorId: actor.operatorId, reason, at });
      await this.repos.movements.moveDocument(trx, movementId, d.unitId, d.id, d.direction === 'in' ? 'receiving' : 'picking', 'previous', at);
      await this.repos.documents.setStatus(trx, d.id, 'cancelled', actor.operatorId, at);
    });
    return this.detail(actor.unitId, id);
  }

  async circulation(documentId: number): Promise<CirculationRecordView | null> {
    const r = (await this.knex('circulation_records').where({ document_id: documentId }).first()) as Record<string, unknown> | undefined;
    if (!r) return null;
    const n = (k: string) => (r[k] === null ? null : Number(r[k]));
    return {
      id: Number(r.id),
      documentId,
      direction: r.direction as 'in' | 'out',
      circulationUnitName: r.circulation_unit_name as string,
      circulationUnitUscc: r.circulation_unit_uscc as string,
      circulationTime: Number(r.circulation_time),
      shipperName: r.shipper_name as string,
      shipperUscc: r.shipper_uscc as string,
      shipTime: n('ship_time'),
      shipStatus: r.ship_status as string,
      receiverName: r.receiver_name as string,
      receiverUscc: r.receiver_uscc as string,
      receiveTime: n('receive_time'),
      receiveStatus: r.receive_status as string,
      codeCount: Number(r.code_count),
    };
  }
}
