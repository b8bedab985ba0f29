import { buildEnvelope, type Credentials } from './envelope.js';
import type { NhsaProfile, QueryOperation, UploadOperation } from './profile.schema.js';
import { readQueryAnswer, readUploadAnswer, type UploadAnswer } from './response.js';
import { postJson, type SendOutcome } from './transport.js';

export type UploadResult =
  | { outcome: 'not-sent'; message: string }
  | { outcome: 'unknown'; message: string }
  | { outcome: 'answered'; answer: UploadAnswer; ms: number; status: number };

export type QueryParams = { code?: string; batch?: string; date?: string };

export interface NhsaClientOptions {
  baseUrl: string;
  profile: NhsaProfile;
  timeoutMs: number;
  now?: () => number;
}

/**
 * One platform endpoint. It signs and sends; it decides nothing about records — the outbox does.
 * It keeps the platform's clock offset from each answer so a workstation with a wrong clock can be
 * warned, and so a call refused for its timestamp is re-signed on the platform's time.
 */
export class NhsaClient {
  private offsetMs = 0;
  private lastSkewMs: number | null = null;
  private readonly now: () => number;

  constructor(private readonly o: NhsaClientOptions) {
    this.now = o.now ?? Date.now;
  }

  get timeoutMs(): number {
    return this.o.timeoutMs;
  }

  get profile(): NhsaProfile {
    return this.o.profile;
  }

  /** Platform time minus ours at the last answer that said (null before the first). */
  get clockSkewMs(): number | null {
    return this.lastSkewMs;
  }

  private noteServerTime(serverTime: number | undefined, sentAt: number): void {
    if (serverTime === undefined) return;
    // The platform writes whole seconds; anything under a second is noise, not skew.
    const skew = serverTime - sentAt;
    this.lastSkewMs = Math.abs(skew) < 1500 ? 0 : skew;
    this.offsetMs = this.lastSkewMs;
  }

  private async send(path: string, c: Credentials, paramText: string): Promise<{ sent: SendOutcome; at: number }> {
    const at = this.now();
    const { body } = buildEnvelope(this.o.profile, c, at + this.offsetMs, paramText);
    return { sent: await postJson(this.o.baseUrl.replace(/\/+$/, '') + path, body, this.o.timeoutMs), at };
  }

  async upload(op: UploadOperation, c: Credentials, paramText: string): Promise<UploadResult> {
    const spec = this.o.profile.operations[op];
    for (let attempt = 0; ; attempt++) {
      const { sent, at } = await this.send(spec.path, c, paramText);
      if (sent.phase !== 'answered') return { outcome: sent.phase, message: sent.message };
      if (sent.status >= 400) return { outcome: 'answered', status: sent.status, ms: sent.ms, answer: { kind: 'refused', code: `HTTP ${sent.status}`, message: sent.text.slice(0, 300), clock: false } };
      const answer = readUploadAnswer(this.o.profile, spec, sent.text);
      if (answer.kind !== 'garbled') this.noteServerTime(answer.serverTime, at);
      // A refusal for the timestamp stored nothing: one more try on the platform's clock is safe.
      if (answer.kind === 'refused' && answer.clock && answer.serverTime !== undefined && attempt === 0) continue;
      return { outcome: 'answered', status: sent.status, ms: sent.ms, answer };
    }
  }

  /** Every row of a query, page by page; null with the reason when any page fails. */
  async query(op: QueryOperation, c: Credentials, params: QueryParams): Promise<{ ok: true; rows: Array<Record<string, unknown>> } | { ok: false; message: string }> {
    const spec = this.o.profile.operations[op];
    const rows: Array<Record<string, unknown>> = [];
    let resigned = false;
    for (let page = 1; page < 100_000; page++) {
      const param: Record<string, string | number> = {};
      for (const k of ['code', 'batch', 'date'] as const) if (params[k] !== undefined && spec.params[k]) param[spec.params[k]] = params[k];
      if (spec.params.page) param[spec.params.page] = page;
      if (spec.params.pageSize) param[spec.params.pageSize] = spec.pageSize;
      const { sent, at } = await this.send(spec.path, c, JSON.stringify(param));
      if (sent.phase !== 'answered') return { ok: false, message: sent.message };
      if (sent.status >= 400) return { ok: false, message: `HTTP ${sent.status}` };
      const answer = readQueryAnswer(this.o.profile, sent.text);
      this.noteServerTime(answer.serverTime, at);
      if (!answer.ok && answer.clock && !resigned && answer.serverTime !== undefined) {
        resigned = true;
        page--;
        continue;
      }
      if (!answer.ok) return { ok: false, message: answer.message };
      rows.push(...answer.rows);
      const more = answer.total !== undefined ? rows.length < answer.total : answer.rows.length >= spec.pageSize;
      if (!more || !spec.params.page || answer.rows.length === 0) return { ok: true, rows };
    }
    return { ok: true, rows };
  }
}
