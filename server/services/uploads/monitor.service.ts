import type { Knex } from 'knex';
import { OutboxRepository } from '../../../db/repositories/outbox.repository.js';
import { withWriteTx } from '../../../db/repositories/tx.js';
import { UPLOAD_STATES, type UploadCounts, type UploadLedgerEntryView, type UploadRecordView, type UploadRecordsQuery, type UploadSummaryView } from '../../contract/uploads.js';
import type { NhsaProfile, UploadOperation } from '../../platforms/nhsa/profile.schema.js';
import { AppError } from '../app-error.js';
import type { Throughput } from './throughput.js';
import type { UploadWorker } from './worker.js';

type Raw = Record<string, unknown>;
/** The Gansu platform's one operation, in the monitor's words. */
const GANSU_TITLE = { 'zh-CN': '甘肃重点品种销售数据上报', en: 'Gansu key-variety sales report' };
const zeroCounts = (): UploadCounts => Object.fromEntries(UPLOAD_STATES.map((s) => [s, 0])) as UploadCounts;

export interface MonitorDeps {
  knex: Knex;
  profile: () => NhsaProfile;
  target: () => UploadSummaryView['target'];
  worker: () => UploadWorker | undefined;
  clockSkewMs: () => number | null;
  throughput: Throughput;
  /** Whether a unit can upload at all (its own keys, or the workstation's). */
  hasCredentials: (unitId: number) => Promise<boolean>;
  now?: () => number;
}

const toRecordView = (r: Raw): UploadRecordView => ({
  id: Number(r.id),
  unitId: Number(r.unit_id),
  operation: String(r.operation),
  code: (r.code as string | null) ?? null,
  documentId: r.document_id === null ? null : Number(r.document_id),
  state: r.state as UploadRecordView['state'],
  attempts: Number(r.attempts),
  message: (r.message as string | null) ?? null,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  acceptedAt: r.accepted_at === null ? null : Number(r.accepted_at),
});

/** The upload monitor's reads and the supervisor's retry / skip (each a ledger event with who). */
export class UploadMonitor {
  private readonly repo = new OutboxRepository();
  private readonly now: () => number;

  constructor(private readonly d: MonitorDeps) {
    this.now = d.now ?? Date.now;
  }

  /** The unit's uploads: the upload business is granted per unit, and so is what it may see. */
  async summary(unitId: number): Promise<UploadSummaryView> {
    const k = this.d.knex;
    const groups = (await k('upload_records as r')
      .join('units as u', 'u.id', 'r.unit_id')
      .where({ 'r.unit_id': unitId })
      .groupBy('r.platform', 'r.unit_id', 'u.name', 'r.operation', 'r.state')
      .select('r.platform', 'r.unit_id', 'u.name', 'r.operation', 'r.state')
      .count({ n: '*' })
      .min({ oldest: 'r.created_at' })) as Raw[];
    const totals = zeroCounts();
    const rows = new Map<string, UploadSummaryView['backlog'][number]>();
    const profile = this.d.profile();
    for (const g of groups) {
      const platform = g.platform === 'gansu' ? 'gansu' : 'nhsa';
      const key = `${platform}:${String(g.unit_id)}:${String(g.operation)}`;
      const title = platform === 'gansu' ? GANSU_TITLE : (profile.operations[g.operation as UploadOperation]?.title ?? { 'zh-CN': String(g.operation), en: String(g.operation) });
      const row = rows.get(key) ?? { platform, unitId: Number(g.unit_id), unitName: String(g.name), operation: String(g.operation), title, counts: zeroCounts(), oldestWaitingAt: null, missingCredentials: false };
      const state = g.state as keyof UploadCounts;
      row.counts[state] = Number(g.n);
      totals[state] += Number(g.n);
      if (['pending', 'sending', 'unknown'].includes(state)) row.oldestWaitingAt = Math.min(row.oldestWaitingAt ?? Infinity, Number(g.oldest));
      rows.set(key, row);
    }
    // The NHSA keys are checked here; a Gansu account without keys shows as rows that keep waiting.
    for (const row of rows.values()) if (row.platform === 'nhsa' && row.oldestWaitingAt !== null) row.missingCredentials = !(await this.d.hasCredentials(row.unitId));
    const failures = (await k('upload_records').where({ state: 'rejected', unit_id: unitId }).orderBy('updated_at', 'desc').limit(20)) as Raw[];
    const skewMs = this.d.clockSkewMs();
    const worker = this.d.worker();
    const retryAt = worker?.holdUntil || null;
    return {
      target: this.d.target(),
      totals,
      backlog: [...rows.values()].sort((a, b) => a.unitId - b.unitId || a.operation.localeCompare(b.operation)),
      throughput: this.d.throughput.lastMinute(),
      clock: { skewSeconds: skewMs === null ? null : Math.round(skewMs / 1000), warning: skewMs !== null && Math.abs(skewMs) / 1000 > profile.clockSkewWarnSeconds },
      endpoint: { consecutiveFailures: worker?.endpointFailures ?? 0, retryAt },
      failures: failures.map((r) => ({ platform: r.platform === 'gansu' ? ('gansu' as const) : ('nhsa' as const), recordId: Number(r.id), unitId: Number(r.unit_id), operation: String(r.operation), code: (r.code as string | null) ?? null, documentId: r.document_id === null ? null : Number(r.document_id), message: (r.message as string | null) ?? null, at: Number(r.updated_at) })),
      at: this.now(),
    };
  }

  async records(unitId: number, q: UploadRecordsQuery): Promise<UploadRecordView[]> {
    let b = this.d.knex('upload_records').where({ platform: 'nhsa', unit_id: unitId }).orderBy('id', 'desc').limit(q.limit);
    if (q.state) b = b.where({ state: q.state });
    if (q.operation) b = b.where({ operation: q.operation });
    if (q.code) b = b.where({ code: q.code });
    if (q.before) b = b.where('id', '<', q.before);
    return ((await b.select('*')) as Raw[]).map(toRecordView);
  }

  /** Every upload that carried this code, oldest first, with what the platform answered. */
  async ledger(unitId: number, code: string): Promise<UploadLedgerEntryView[]> {
    const rows = (await this.d.knex('upload_events as e')
      .leftJoin('upload_batches as b', 'b.id', 'e.batch_id')
      .where({ 'e.code': code, 'e.unit_id': unitId })
      .orderBy([{ column: 'e.at' }, { column: 'e.id' }])
      .select('e.at', 'e.record_id', 'e.operation', 'e.event', 'e.batch_id', 'e.message', 'e.operator_id', 'b.channel', 'b.http_status', 'b.round_trip_ms')) as Raw[];
    // The call's answer belongs to the line that settled it, not to `sent` (same call, no answer yet).
    const answered = (r: Raw) => !['queued', 'sent', 'exported'].includes(String(r.event));
    return rows.map((r) => ({
      at: Number(r.at),
      recordId: Number(r.record_id),
      operation: String(r.operation),
      event: String(r.event),
      batchId: r.batch_id === null ? null : Number(r.batch_id),
      channel: (r.channel as UploadLedgerEntryView['channel']) ?? null,
      httpStatus: r.http_status === null || !answered(r) ? null : Number(r.http_status),
      roundTripMs: r.round_trip_ms === null || !answered(r) ? null : Number(r.round_trip_ms),
      message: (r.message as string | null) ?? null,
      operatorId: r.operator_id === null ? null : Number(r.operator_id),
    }));
  }

  /** A rejected or skipped record goes back to the queue (after, say, fixing master data). */
  async retry(unitId: number, operatorId: number, id: number, reason: string | undefined): Promise<UploadRecordView> {
    return this.move(unitId, id, ['rejected', 'skipped'], 'pending', { event: 'retried', message: reason ?? null, operatorId });
  }

  /** A record that must not be uploaded (wrong document, uploaded by hand elsewhere): kept, with why. */
  async skip(unitId: number, operatorId: number, id: number, reason: string): Promise<UploadRecordView> {
    return this.move(unitId, id, ['pending', 'rejected'], 'skipped', { event: 'skipped', message: reason, operatorId });
  }

  private async move(unitId: number, id: number, from: Array<'pending' | 'rejected' | 'skipped'>, to: 'pending' | 'skipped', e: { event: string; message: string | null; operatorId: number }): Promise<UploadRecordView> {
    const at = this.now();
    await withWriteTx(this.d.knex, async (trx) => {
      const r = await this.repo.get(trx, id);
      if (!r || r.unitId !== unitId) throw new AppError('UPLOAD_NOT_FOUND', 404);
      const n = await this.repo.transition(trx, [id], from, to, { batchId: null, ...e, at, nextAttemptAt: at });
      if (n === 0) throw new AppError('UPLOAD_STATE_CONFLICT', 409);
    });
    const row = (await this.d.knex('upload_records').where({ id }).first()) as Raw;
    return toRecordView(row);
  }
}
