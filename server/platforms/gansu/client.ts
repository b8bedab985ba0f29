import { sendHttp, type HttpOutcome } from '../http-transport.js';
import { classifySaveAnswer, type GansuAnswer, type SaveVerdict } from './answers.js';
import { GANSU_MAX_ROWS, type GansuSaleRow } from './rows.js';

export const GANSU_PATHS = { token: '/token/getToken', save: '/api/v1/saveSaleData' } as const;

export interface GansuClientOptions {
  /** http://IP:PORT of the platform (the guide gives no path prefix). */
  baseUrl: string;
  timeoutMs: number;
  now?: () => number;
  /** Override the guide's paths if a deployment moves them. */
  paths?: Partial<Record<keyof typeof GANSU_PATHS, string>>;
}

export type TokenResult =
  | { ok: true; token: string }
  /** The platform answered and gave no token: wrong loginId or password (500), or another code. */
  | { ok: false; kind: 'refused'; httpStatus: number; code: number | null; msg: string }
  /** No answer. Asking again is always safe: a token nobody uses stores nothing. */
  | { ok: false; kind: 'not-sent' | 'unknown'; message: string };

export type SaveOutcome =
  /**
   * Nothing reached the platform: the rows are not stored and the token is unused. `cause` says
   * why — the transport, or a call the platform would refuse that was never sent (> 10 000 rows,
   * no rows, no token or appKey).
   */
  | { phase: 'not-sent'; at: number; cause: 'transport' | 'too-many-rows' | 'no-rows' | 'no-credentials'; message: string }
  /**
   * Sent, and no answer that settles it (timeout, connection lost, 5xx without a readable body):
   * the rows may be stored. Resend the same rows with the same token (see isTokenSpent).
   */
  | { phase: 'unknown'; at: number; message: string; httpStatus?: number }
  | ({ phase: 'answered'; at: number; ms: number; verdict: SaveVerdict } & GansuAnswer);

/** `{code, msg, data}` from a body, or null when the body is not such an object. */
export function readGansuBody(text: string): { code: number | null; msg: string; data: unknown } | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null;
  const b = body as Record<string, unknown>;
  const raw = b.code;
  const code = typeof raw === 'number' && Number.isInteger(raw) ? raw : typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : null;
  const msg = b.msg ?? b.message;
  return { code, msg: typeof msg === 'string' ? msg : msg == null ? '' : JSON.stringify(msg), data: b.data };
}

/**
 * The Gansu key-variety sales monitoring interface (DOMAIN.md §7): getToken with the RSA-encrypted
 * password, saveSaleData with one single-use token per call. It sends and reports; pacing
 * (AccountPacer), splitting and deciding what happened to rows is the caller's (the outbox's).
 *
 * Exactly-once without a query API: a token serves one call, so a call's token is its idempotency
 * key. Persist the token before sending; after an `unknown` outcome resend the same rows with the
 * same token — a 402 then means the first send was stored (isTokenSpent), anything else is the
 * answer to the one and only store.
 */
export class GansuClient {
  private readonly now: () => number;
  private readonly base: string;
  private readonly paths: Record<keyof typeof GANSU_PATHS, string>;

  constructor(private readonly o: GansuClientOptions) {
    this.now = o.now ?? Date.now;
    this.base = o.baseUrl.replace(/\/+$/, '');
    this.paths = { ...GANSU_PATHS, ...o.paths };
  }

  get timeoutMs(): number {
    return this.o.timeoutMs;
  }

  /** `encryptedPassword` from rsa.ts encryptPassword; both go in the query string, URL-encoded. */
  async getToken(loginId: string, encryptedPassword: string): Promise<TokenResult> {
    const query = new URLSearchParams({ loginId, password: encryptedPassword });
    const sent = await sendHttp({ url: `${this.base}${this.paths.token}?${query.toString()}`, body: '', timeoutMs: this.o.timeoutMs });
    if (sent.phase !== 'answered') return { ok: false, kind: sent.phase, message: sent.message };
    const body = readGansuBody(sent.text);
    if (body && body.code === 200 && sent.status < 400 && typeof body.data === 'string' && body.data !== '') return { ok: true, token: body.data };
    if (!body && sent.status >= 500) return { ok: false, kind: 'unknown', message: `HTTP ${sent.status} ${sent.text.slice(0, 200)}`.trim() };
    return {
      ok: false,
      kind: 'refused',
      httpStatus: sent.status,
      code: body?.code ?? null,
      msg: body ? (body.code === 200 ? `no token in the answer: ${body.msg}` : body.msg) : sent.text.slice(0, 200),
    };
  }

  /**
   * One saveSaleData call. The token is the caller's, taken explicitly, because it is also the
   * call's idempotency key: keep it with the rows until the outcome is settled.
   */
  async saveSaleData(token: string, appKey: string, rows: readonly GansuSaleRow[] | PreparedRows): Promise<SaveOutcome> {
    const at = this.now();
    const count = 'body' in rows ? rows.count : rows.length;
    if (count === 0) return { phase: 'not-sent', at, cause: 'no-rows', message: 'no rows to send' };
    if (count > GANSU_MAX_ROWS) return { phase: 'not-sent', at, cause: 'too-many-rows', message: `${count} rows > ${GANSU_MAX_ROWS} per call` };
    if (token === '' || appKey === '') return { phase: 'not-sent', at, cause: 'no-credentials', message: token === '' ? 'no token' : 'no appKey' };
    const sent = await sendHttp({
      url: this.base + this.paths.save,
      body: 'body' in rows ? rows.body : JSON.stringify(rows),
      timeoutMs: this.o.timeoutMs,
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: token, appKey },
    });
    return readSaveOutcome(sent, at);
  }
}

/**
 * Rows serialised ahead of the pacer's turn: 10 000 rows take tens of milliseconds to write, and
 * the platform measures its one-call-per-second from the requests' arrival, not from our turn.
 */
export interface PreparedRows {
  body: string;
  count: number;
}

export const prepareRows = (rows: readonly GansuSaleRow[]): PreparedRows => ({ body: JSON.stringify(rows), count: rows.length });

export function readSaveOutcome(sent: HttpOutcome, at: number): SaveOutcome {
  if (sent.phase === 'not-sent') return { phase: 'not-sent', at, cause: 'transport', message: sent.message };
  if (sent.phase === 'unknown') return { phase: 'unknown', at, message: sent.message };
  const body = readGansuBody(sent.text);
  // A gateway's 5xx page says nothing about the platform behind it.
  if ((!body || body.code === null) && sent.status >= 500) return { phase: 'unknown', at, httpStatus: sent.status, message: `HTTP ${sent.status} ${sent.text.slice(0, 200)}`.trim() };
  const answer: GansuAnswer = body ? { httpStatus: sent.status, ...body } : { httpStatus: sent.status, code: null, msg: sent.text.slice(0, 300), data: undefined };
  return { phase: 'answered', at, ms: sent.ms, verdict: classifySaveAnswer(answer), ...answer };
}
