import type { Knex } from 'knex';
import type { GansuCallView, GansuMonitorView, GansuRefusedRowView, GansuTokenFetchView } from '../../contract/uploads.js';
import { chinaDate, chinaDayStart } from '../../domain/china-time.js';
import { GANSU_SAVE_OPERATION, GANSU_TOKEN_OPERATION } from './records.js';

type Raw = Record<string, unknown>;
const num = (v: unknown): number => Number(v ?? 0);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

const CALLS = 20;
const TOKENS = 10;
const REFUSED = 50;

export interface GansuMonitorDeps {
  knex: Knex;
  platform: GansuMonitorView['platform'];
  /** The unit's platform login, or null when it has no credentials (and no sandbox to lend). */
  loginOf: (unitId: number) => Promise<string | null>;
  now?: () => number;
}

/**
 * What a pharmacy manager reads about the Gansu platform: the account's recent calls with the
 * platform's own answer and round trip, its token fetches, today's rows, and every refused row with
 * the sale it reports and the problems the platform named. Reads only; a handful of set-based
 * queries whatever the volume.
 */
export class GansuMonitor {
  private readonly now: () => number;

  constructor(private readonly d: GansuMonitorDeps) {
    this.now = d.now ?? Date.now;
  }

  async view(unitId: number): Promise<GansuMonitorView> {
    const at = this.now();
    const day = chinaDate(at);
    const from = chinaDayStart(day);
    return {
      platform: this.d.platform,
      account: { loginId: await this.d.loginOf(unitId) },
      day,
      rows: await this.rows(unitId, from),
      calls: await this.calls(unitId),
      tokens: await this.tokens(unitId, from),
      refused: await this.refused(unitId),
      at,
    };
  }

  private async rows(unitId: number, from: number): Promise<GansuMonitorView['rows']> {
    const k = this.d.knex;
    const r = (await k('upload_records')
      .where({ unit_id: unitId, platform: 'gansu' })
      .select(
        k.raw(`SUM(CASE WHEN state IN ('pending', 'sending') THEN 1 ELSE 0 END) AS waiting`),
        k.raw(`SUM(CASE WHEN state = 'unknown' THEN 1 ELSE 0 END) AS doubtful`),
        k.raw(`SUM(CASE WHEN created_at >= ? THEN 1 ELSE 0 END) AS queued_today`, [from]),
        k.raw(`SUM(CASE WHEN state = 'accepted' AND accepted_at >= ? THEN 1 ELSE 0 END) AS accepted_today`, [from]),
        k.raw(`SUM(CASE WHEN state = 'rejected' AND updated_at >= ? THEN 1 ELSE 0 END) AS rejected_today`, [from]),
        k.raw(`SUM(CASE WHEN state = 'rejected' THEN 1 ELSE 0 END) AS rejected_open`),
      )
      .first()) as Raw | undefined;
    return { waiting: num(r?.waiting), unknown: num(r?.doubtful), queuedToday: num(r?.queued_today), acceptedToday: num(r?.accepted_today), rejectedToday: num(r?.rejected_today), rejectedOpen: num(r?.rejected_open) };
  }

  private async calls(unitId: number): Promise<GansuCallView[]> {
    const k = this.d.knex;
    const batches = (await k('upload_batches').where({ unit_id: unitId, platform: 'gansu', operation: GANSU_SAVE_OPERATION }).orderBy('id', 'desc').limit(CALLS).select('id', 'created_at', 'finished_at', 'record_count', 'outcome', 'http_status', 'message', 'round_trip_ms')) as Raw[];
    const ids = batches.map((b) => Number(b.id));
    const settled = ids.length ? ((await k('upload_events').whereIn('batch_id', ids).whereIn('event', ['accepted', 'resolved-accepted', 'rejected']).groupBy('batch_id', 'event').select('batch_id', 'event').count({ n: '*' })) as Raw[]) : [];
    const count = (id: number, events: string[]) => settled.filter((e) => Number(e.batch_id) === id && events.includes(String(e.event))).reduce((n, e) => n + num(e.n), 0);
    return batches.map((b) => ({
      id: Number(b.id),
      at: Number(b.created_at),
      finishedAt: numOrNull(b.finished_at),
      rows: num(b.record_count),
      outcome: String(b.outcome),
      code: numOrNull(b.http_status),
      message: strOrNull(b.message),
      roundTripMs: numOrNull(b.round_trip_ms),
      accepted: count(Number(b.id), ['accepted', 'resolved-accepted']),
      rejected: count(Number(b.id), ['rejected']),
    }));
  }

  private async tokens(unitId: number, from: number): Promise<GansuMonitorView['tokens']> {
    const k = this.d.knex;
    const base = () => k('upload_batches').where({ unit_id: unitId, platform: 'gansu', operation: GANSU_TOKEN_OPERATION });
    const recent = (await base().orderBy('id', 'desc').limit(TOKENS).select('created_at', 'outcome', 'http_status', 'message', 'round_trip_ms')) as Raw[];
    const today = (await base()
      .where('created_at', '>=', from)
      .select(k.raw('COUNT(*) AS n'), k.raw(`SUM(CASE WHEN outcome <> 'accepted' THEN 1 ELSE 0 END) AS failed`))
      .first()) as Raw | undefined;
    return {
      today: num(today?.n),
      failedToday: num(today?.failed),
      recent: recent.map((t): GansuTokenFetchView => ({ at: Number(t.created_at), outcome: t.outcome as GansuTokenFetchView['outcome'], code: numOrNull(t.http_status), message: strOrNull(t.message), roundTripMs: numOrNull(t.round_trip_ms) })),
    };
  }

  private async refused(unitId: number): Promise<GansuRefusedRowView[]> {
    const k = this.d.knex;
    const records = (await k('upload_records').where({ unit_id: unitId, platform: 'gansu', state: 'rejected' }).orderBy([{ column: 'updated_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(REFUSED).select('id', 'record_key', 'message', 'attempts', 'updated_at')) as Raw[];
    if (records.length === 0) return [];
    const ids = records.map((r) => Number(r.id));
    // The event that refused each row names the call (and so the platform's answer) that did it.
    const events = (await k('upload_events as e')
      .leftJoin('upload_batches as b', 'b.id', 'e.batch_id')
      .whereIn('e.record_id', ids)
      .whereIn('e.event', ['rejected', 'refused-locally'])
      .orderBy('e.id')
      .select('e.record_id', 'e.event', 'e.batch_id', 'b.http_status', 'b.message')) as Raw[];
    const why = new Map<number, Raw>(events.map((e) => [Number(e.record_id), e]));
    const keys = records.map((r) => /^sale:(\d+):(\d+)$/.exec(String(r.record_key)));
    const saleIds = [...new Set(keys.filter((m) => m).map((m) => Number(m![1])))];
    const productIds = [...new Set(keys.filter((m) => m).map((m) => Number(m![2])))];
    const sales = new Map(((saleIds.length ? await k('sales').whereIn('id', saleIds).select('id', 'number') : []) as Raw[]).map((s) => [Number(s.id), String(s.number)]));
    const products = new Map(((productIds.length ? await k('products').whereIn('id', productIds).select('id', 'name') : []) as Raw[]).map((p) => [Number(p.id), String(p.name)]));
    return records.map((r, i) => {
      const m = keys[i];
      const e = why.get(Number(r.id));
      const saleId = m ? Number(m[1]) : null;
      const local = !e || e.event === 'refused-locally' || e.batch_id === null;
      return {
        recordId: Number(r.id),
        saleId,
        saleNumber: saleId === null ? null : (sales.get(saleId) ?? null),
        productName: m ? (products.get(Number(m[2])) ?? null) : null,
        at: Number(r.updated_at),
        attempts: num(r.attempts),
        by: local ? 'local' : 'platform',
        code: local ? null : numOrNull(e?.http_status),
        platformMessage: local ? null : strOrNull(e?.message),
        problems: String(r.message ?? '')
          .split('；')
          .map((p) => p.trim())
          .filter((p) => p !== ''),
      };
    });
  }
}
