import type { Readable, Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Knex } from 'knex';
import { inJsonList } from '../../../db/repositories/json-bulk.js';
import { OutboxRepository } from '../../../db/repositories/outbox.repository.js';
import { withWriteTx, type Queryable } from '../../../db/repositories/tx.js';
import type { ManualCancelledView, ManualExportCreatedView, ManualExportView, ManualRecordOutcomeView, ManualSettledView } from '../../contract/uploads.js';
import type { Localized } from '../../contract/views.js';
import { columnHeader, recordColumnHeader } from '../../platforms/nhsa/labels.js';
import { mapRecord, type JsonValue } from '../../platforms/nhsa/param.js';
import { UPLOAD_OPERATIONS, type CanonicalRecord, type NhsaProfile, type UploadOperation, type UploadOperationProfile } from '../../platforms/nhsa/profile.schema.js';
import { AppError } from '../app-error.js';
import { LocalizedAppError } from '../localized-error.js';
import { matchReport, readErrorReport, type ExportedRecord } from './manual-report.js';

/**
 * The manual-upload fallback (DOMAIN.md §6, the guide's 网页上传): pending records of one operation
 * become an import file for the portal, and the portal's verdict comes back as its error report
 * (下载错误报告), a confirmation that it reported none, or a cancellation. Exported records are
 * `manual`, which the worker never claims, so nothing reaches the platform twice.
 *
 * An export is an `upload_batches` row (channel `manual`); which records it holds is the ledger's
 * `exported` events of that batch, so the file and the counts stay the same whatever the records
 * do afterwards (a rejected record retried and sent by the API, a cancelled one exported again).
 */

/** Records per export: what one portal import can sensibly take; the rest wait for the next. */
export const MANUAL_EXPORT_MAX = 100_000;
const PAGE = 1000;
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface ManualDeps {
  knex: Knex;
  profile: () => NhsaProfile;
  /** Where an uploaded report is spooled while it is read. */
  tmpDir: string;
  /** After every change: the worker (cancelled records are due again) and the monitor. */
  wake: () => void;
  now?: () => number;
}

export interface ManualActor {
  unitId: number;
  operatorId: number;
}


interface BatchRow {
  id: number;
  unitId: number;
  operation: string;
  recordCount: number;
  outcome: string;
  message: string | null;
  createdAt: number;
  finishedAt: number | null;
}

type Raw = Record<string, unknown>;
const toBatch = (r: Raw): BatchRow => ({
  id: Number(r.id),
  unitId: Number(r.unit_id),
  operation: String(r.operation),
  recordCount: Number(r.record_count),
  outcome: String(r.outcome),
  message: (r.message as string | null) ?? null,
  createdAt: Number(r.created_at),
  finishedAt: r.finished_at === null || r.finished_at === undefined ? null : Number(r.finished_at),
});

export const exportFilePath = (id: number) => `/api/uploads/manual-exports/${id}/file`;

const EVENTS = { exported: 'exported', accepted: 'manual-accepted', rejected: 'manual-rejected', cancelled: 'manual-cancelled' } as const;

/** Excel: at most 31 characters, none of : \ / ? * [ ]. */
const sheetName = (s: string) => s.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31) || 'Sheet1';

export class ManualExports {
  private readonly repo = new OutboxRepository();
  private readonly now: () => number;

  constructor(private readonly d: ManualDeps) {
    this.now = d.now ?? Date.now;
  }

  operation(name: string): { name: UploadOperation; op: UploadOperationProfile } {
    if (!(UPLOAD_OPERATIONS as readonly string[]).includes(name)) {
      throw new AppError('VALIDATION_FAILED', 400, { issues: [{ path: 'operation', message: `one of ${UPLOAD_OPERATIONS.join(', ')}` }] });
    }
    return { name: name as UploadOperation, op: this.d.profile().operations[name as UploadOperation] };
  }

  /**
   * Pending records of the operation (the selected ones, or all of the unit's) → one export, in
   * one transaction: the batch, and every record pending → manual with an `exported` event.
   */
  async create(actor: ManualActor, body: { operation: string; recordIds?: number[] | undefined }): Promise<ManualExportCreatedView> {
    const { name, op } = this.operation(body.operation);
    const at = this.now();
    const created = await withWriteTx(this.d.knex, async (trx) => {
      let b = trx('upload_records').where({ platform: 'nhsa', unit_id: actor.unitId, operation: name, state: 'pending' }).orderBy('id').limit(MANUAL_EXPORT_MAX);
      if (body.recordIds) {
        const [sql, bindings] = inJsonList(trx, 'id', [...new Set(body.recordIds)], 'integer');
        b = b.whereRaw(sql, bindings);
      }
      const rows = (await b.select('id', 'code', 'payload')) as Raw[];
      const ok: number[] = [];
      const refused: ManualRecordOutcomeView[] = [];
      for (const r of rows) {
        const m = mapRecord(op, JSON.parse(String(r.payload)) as CanonicalRecord);
        if (m.ok) ok.push(Number(r.id));
        else refused.push({ recordId: Number(r.id), code: (r.code as string | null) ?? null, reason: m.problems.map((p) => p.message['zh-CN']).join('；') });
      }
      if (ok.length === 0) throw nothingToExport(refused);
      for (const [reason, ids] of groupBy(refused.map((r) => [r.reason, r.recordId] as const))) {
        await this.repo.transition(trx, ids, ['pending'], 'rejected', { batchId: null, event: 'refused-locally', message: reason, at, operatorId: actor.operatorId });
      }
      const batchId = await this.repo.openBatch(trx, { unitId: actor.unitId, operation: name, channel: 'manual', recordIds: ok, paramText: null, at });
      const count = await this.repo.transition(trx, ok, ['pending'], 'manual', { batchId, event: EVENTS.exported, message: null, at, operatorId: actor.operatorId });
      // openBatch knows only calls on their way ('sending'); an export waits for the portal's verdict.
      await trx('upload_batches').where({ id: batchId }).update({ outcome: 'exported', record_count: count });
      return { batchId, count, refused };
    });
    this.d.wake();
    return { batchId: created.batchId, operation: name, count: created.count, refused: created.refused, file: exportFilePath(created.batchId) };
  }

  async list(unitId: number, q: { limit: number; before?: number | undefined }): Promise<ManualExportView[]> {
    let b = this.d.knex('upload_batches').where({ platform: 'nhsa', channel: 'manual', unit_id: unitId }).orderBy('id', 'desc').limit(q.limit);
    if (q.before !== undefined) b = b.where('id', '<', q.before);
    return this.views(((await b.select('*')) as Raw[]).map(toBatch));
  }

  async get(unitId: number, id: number): Promise<ManualExportView> {
    return (await this.views([await this.require(this.d.knex, unitId, id)]))[0]!;
  }

  /** The import file, checked before the caller commits to a 200: `write` streams it. */
  async file(unitId: number, id: number): Promise<{ fileName: string; write: (out: Writable) => Promise<void> }> {
    const batch = await this.require(this.d.knex, unitId, id);
    const { op } = this.operation(batch.operation);
    return { fileName: `${op.title['zh-CN']}-${batch.id}.xlsx`, write: (out) => this.writeXlsx(batch, op, out) };
  }

  /**
   * One sheet named after the operation: 记录号, then the header fields (repeated on every row, as
   * each record carries its own document), then the item fields, valued exactly as the API sends.
   */
  private async writeXlsx(batch: BatchRow, op: UploadOperationProfile, out: Writable): Promise<void> {
    const fields = [...op.header, ...op.item];
    const headers = [recordColumnHeader, ...fields.map(columnHeader)];
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    const ws = wb.addWorksheet(sheetName(op.title['zh-CN']), { views: [{ state: 'frozen', ySplit: 1 }] });
    // Codes are text: typed over in a General column Excel would turn a trace code into 8.1E+19.
    ws.columns = headers.map((h, i) => ({ width: Math.min(40, Math.max(12, h.length * 1.4)), ...(i > 0 && fields[i - 1]!.format === 'string' ? { style: { numFmt: '@' } } : {}) }));
    const head = ws.addRow(headers);
    head.font = { bold: true };
    head.commit();
    for (let after = 0; ; ) {
      const page = await this.exportedPage(this.d.knex, batch.id, after, PAGE);
      for (const r of page) {
        const v = valuesOf(op, r.payload);
        ws.addRow([r.id, ...fields.map((f) => v[f.name] ?? '')]).commit();
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1]!.id;
    }
    ws.commit();
    await wb.commit();
  }

  /**
   * The portal's error report: listed records → rejected with the portal's reason, every other
   * record of the export still awaiting its verdict → accepted (the portal imported them). A row
   * naming no record of this export refuses the whole report, and nothing is written.
   */
  async importReport(actor: ManualActor, id: number, src: Readable, format: 'csv' | 'xlsx' | undefined): Promise<ManualSettledView> {
    const batch = await this.require(this.d.knex, actor.unitId, id);
    const { op } = this.operation(batch.operation);
    const rows = await readErrorReport(src, this.d.tmpDir, format, op);
    const at = this.now();
    const settled = await withWriteTx(this.d.knex, async (trx) => {
      const current = await this.require(trx, actor.unitId, id);
      const records: ExportedRecord[] = [];
      for (let after = 0; ; ) {
        const page = await this.exportedPage(trx, id, after, 10 * PAGE);
        for (const r of page) records.push({ id: r.id, code: r.code, values: valuesOf(op, r.payload) });
        if (page.length < 10 * PAGE) break;
        after = page[page.length - 1]!.id;
      }
      return this.settle(trx, current, matchReport(rows, records, op), actor, at);
    });
    this.d.wake();
    return settled;
  }

  /** The portal reported no errors: every record still awaiting its verdict is accepted. */
  async confirm(actor: ManualActor, id: number): Promise<ManualSettledView> {
    const at = this.now();
    const settled = await withWriteTx(this.d.knex, async (trx) => this.settle(trx, await this.require(trx, actor.unitId, id), new Map(), actor, at));
    this.d.wake();
    return settled;
  }

  /** Not uploaded after all: the records go back to the queue (the worker, or a later export). */
  async cancel(actor: ManualActor, id: number, reason: string): Promise<ManualCancelledView> {
    const at = this.now();
    const cancelled = await withWriteTx(this.d.knex, async (trx) => {
      const batch = await this.require(trx, actor.unitId, id);
      const open = await this.awaiting(trx, batch);
      const n = await this.repo.transition(trx, open.map((r) => r.id), ['manual'], 'pending', { batchId: batch.id, event: EVENTS.cancelled, message: reason, at, operatorId: actor.operatorId, nextAttemptAt: at, onlyBatch: batch.id });
      await this.repo.closeBatch(trx, batch.id, { outcome: 'cancelled', message: reason, at });
      return n;
    });
    this.d.wake();
    return { cancelled };
  }

  private async settle(trx: Knex.Transaction, batch: BatchRow, rejected: ReadonlyMap<number, string>, actor: ManualActor, at: number): Promise<ManualSettledView> {
    const open = await this.awaiting(trx, batch);
    const e = { batchId: batch.id, at, operatorId: actor.operatorId, onlyBatch: batch.id };
    const refused = open.filter((r) => rejected.has(r.id)).map((r) => ({ recordId: r.id, code: r.code, reason: rejected.get(r.id)! }));
    // One statement per distinct reason: the repository writes one message per transition.
    for (const [reason, ids] of groupBy(refused.map((r) => [r.reason, r.recordId] as const))) {
      await this.repo.transition(trx, ids, ['manual'], 'rejected', { ...e, event: EVENTS.rejected, message: reason });
    }
    const accepted = await this.repo.transition(trx, open.filter((r) => !rejected.has(r.id)).map((r) => r.id), ['manual'], 'accepted', { ...e, event: EVENTS.accepted, message: null });
    const outcome = refused.length === 0 ? 'accepted' : accepted === 0 ? 'rejected' : 'partial';
    await this.repo.closeBatch(trx, batch.id, { outcome, message: refused.length ? `门户错误报告：${refused.length} 条未通过 / portal error report: ${refused.length} refused` : null, at });
    return { accepted, rejected: refused };
  }

  /** Records of the export still awaiting the portal's verdict; none means it was settled already. */
  private async awaiting(q: Queryable, batch: BatchRow): Promise<Array<{ id: number; code: string | null }>> {
    const rows = (await q('upload_records').where({ batch_id: batch.id, state: 'manual' }).orderBy('id').select('id', 'code')) as Raw[];
    if (rows.length === 0) {
      throw new LocalizedAppError('UPLOAD_STATE_CONFLICT', 409, {
        'zh-CN': `导出批次 ${batch.id} 已处理（${batch.outcome}），没有等待平台结果的记录`,
        en: `Export ${batch.id} is settled (${batch.outcome}): no record awaits the portal's verdict`,
      });
    }
    return rows.map((r) => ({ id: Number(r.id), code: (r.code as string | null) ?? null }));
  }

  private async require(q: Queryable, unitId: number, id: number): Promise<BatchRow> {
    const r = (await q('upload_batches').where({ id, unit_id: unitId, platform: 'nhsa', channel: 'manual' }).first()) as Raw | undefined;
    if (!r) throw new AppError('UPLOAD_EXPORT_NOT_FOUND', 404);
    return toBatch(r);
  }

  private async exportedPage(q: Queryable, batchId: number, afterId: number, limit: number): Promise<Array<{ id: number; code: string | null; payload: CanonicalRecord }>> {
    const rows = (await q('upload_events as e')
      .join('upload_records as r', 'r.id', 'e.record_id')
      .where({ 'e.batch_id': batchId, 'e.event': EVENTS.exported })
      .where('r.id', '>', afterId)
      .orderBy('r.id')
      .limit(limit)
      .select('r.id', 'r.code', 'r.payload')) as Raw[];
    return rows.map((r) => ({ id: Number(r.id), code: (r.code as string | null) ?? null, payload: JSON.parse(String(r.payload)) as CanonicalRecord }));
  }

  private async views(batches: BatchRow[]): Promise<ManualExportView[]> {
    if (batches.length === 0) return [];
    const counts = (await this.d.knex('upload_events')
      .whereIn('batch_id', batches.map((b) => b.id))
      .whereIn('event', Object.values(EVENTS))
      .groupBy('batch_id', 'event')
      .select('batch_id', 'event')
      .count({ n: '*' })
      .max({ operator: 'operator_id' })) as Raw[];
    const of = (id: number, event: string) => counts.find((c) => Number(c.batch_id) === id && c.event === event);
    const profile = this.d.profile();
    return batches.map((b) => {
      const n = (event: string) => Number(of(b.id, event)?.n ?? 0);
      const exported = n(EVENTS.exported);
      const c = { accepted: n(EVENTS.accepted), rejected: n(EVENTS.rejected), cancelled: n(EVENTS.cancelled) };
      const operator = of(b.id, EVENTS.exported)?.operator;
      return {
        id: b.id,
        operation: b.operation,
        title: profile.operations[b.operation as UploadOperation]?.title ?? { 'zh-CN': b.operation, en: b.operation },
        count: b.recordCount,
        outcome: b.outcome,
        message: b.message,
        createdAt: b.createdAt,
        finishedAt: b.finishedAt,
        operatorId: operator === null || operator === undefined ? null : Number(operator),
        counts: { manual: Math.max(0, exported - c.accepted - c.rejected - c.cancelled), ...c },
        file: exportFilePath(b.id),
      };
    });
  }
}

/** The platform-named values of a record; a field the profile can no longer map stays empty. */
function valuesOf(op: UploadOperationProfile, payload: CanonicalRecord): Record<string, JsonValue> {
  const m = mapRecord(op, payload);
  if (m.ok) return { ...m.header, ...m.item };
  // Only after the profile was replaced between export and download: show what the record holds.
  const out: Record<string, JsonValue> = {};
  for (const f of [...op.header, ...op.item]) {
    const v = payload[f.source];
    if (v !== null && v !== undefined && v !== '') out[f.name] = v;
  }
  return out;
}

function groupBy<K, V>(pairs: ReadonlyArray<readonly [K, V]>): Map<K, V[]> {
  const m = new Map<K, V[]>();
  for (const [k, v] of pairs) {
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
  }
  return m;
}

function nothingToExport(refused: readonly ManualRecordOutcomeView[]): AppError {
  if (refused.length === 0) return new AppError('UPLOAD_NOTHING_TO_EXPORT', 409);
  const first = refused[0]!;
  return new LocalizedAppError('UPLOAD_NOTHING_TO_EXPORT', 409, {
    'zh-CN': `所选范围内没有可导出的记录：${refused.length} 条待上传记录的数据不完整（如记录 ${first.recordId}：${first.reason}），请修正后重试`,
    en: `Nothing in this selection can be exported: ${refused.length} pending record(s) are incomplete (record ${first.recordId}: ${first.reason}) — fix them and try again`,
  });
}
