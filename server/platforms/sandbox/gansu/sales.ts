import { checkRow, GANSU_MAX_ROWS, type GansuSaleRow } from '../../gansu/rows.js';
import { replies, type GansuReply } from './answers.js';
import type { GansuState } from './state.js';

/** At most this many problems are listed in one 454; the rest are counted. */
const MAX_LISTED_PROBLEMS = 200;

export interface SaveRequest {
  token: string;
  appKey: string;
  /** null when the body was too large or not UTF-8. */
  bodyText: string | null;
  /** When the request arrived (before its body was read): what the 1 call/s limit measures. */
  arrivedAt: number;
}

export interface SaveResult {
  reply: GansuReply;
  loginId: string | null;
  rowCount: number | null;
}

/**
 * saveSaleData, strictly in this order: the token (402), the account's rate (453, the token is
 * not spent), the appKey (401), the body (an array of 1..10 000 rows, 452 beyond), every row's
 * store USCC against the appKey's store (401); then the token is spent; then the rows' own checks
 * — any problem refuses the whole call (454, "第N行：…", nothing stored) — and finally all rows are
 * stored at once.
 */
export function answerSave(s: GansuState, r: SaveRequest): SaveResult {
  const nowMs = r.arrivedAt;
  const t = s.tokens.get(r.token);
  const expired = t !== undefined && s.tokenTtlMs !== undefined && nowMs - t.issuedAt > s.tokenTtlMs;
  if (!t || t.spent || expired) return { reply: replies.tokenInvalid(), loginId: t?.loginId ?? null, rowCount: null };
  const loginId = t.loginId;
  const done = (reply: GansuReply, rowCount: number | null = null): SaveResult => ({ reply, loginId, rowCount });

  const last = s.lastStart.get(loginId);
  if (last !== undefined && nowMs - last < s.rateLimitMs) return done(replies.tooFast());
  s.lastStart.set(loginId, nowMs);

  const account = s.accounts.get(loginId)!;
  const store = account.stores.find((st) => st.appKey === r.appKey);
  if (!store) return done(replies.unauthorized(r.appKey === '' ? '缺少 appKey' : 'appKey 不属于该账号'));

  if (r.bodyText === null) return done(replies.params('请求体过大或不是 UTF-8 文本'));
  let body: unknown;
  try {
    body = JSON.parse(r.bodyText);
  } catch {
    return done(replies.params('请求体不是合法的 JSON'));
  }
  if (!Array.isArray(body)) return done(replies.params('请求体应为销售数据的 JSON 数组'));
  if (body.length > GANSU_MAX_ROWS) return done(replies.tooManyRows(body.length, GANSU_MAX_ROWS), body.length);
  if (body.length === 0) return done(replies.params('销售数据为空'), 0);
  const foreign = body.findIndex((row: unknown) => {
    const uscc = row !== null && typeof row === 'object' ? (row as Record<string, unknown>).drugstoreTyshxydm : undefined;
    return typeof uscc === 'string' && uscc.trim() !== '' && uscc !== store.uscc;
  });
  if (foreign >= 0) return done(replies.unauthorized(`第${foreign + 1}行：药店统一社会信用代码与授权码不匹配`), body.length);

  t.spent = true;
  const listed: string[] = [];
  let total = 0;
  body.forEach((row: unknown, i) => {
    for (const p of checkRow(row)) {
      total++;
      if (listed.length < MAX_LISTED_PROBLEMS) listed.push(`第${i + 1}行：${p['zh-CN']}`);
    }
  });
  if (total > 0) return done(replies.params(listed.join('；') + (total > listed.length ? `；……共 ${total} 处问题` : '')), body.length);

  s.store.add((body as GansuSaleRow[]).map((row) => ({ loginId, appKey: store.appKey, uscc: store.uscc, token: r.token, storedAt: nowMs, row })));
  return done(replies.saved(), body.length);
}
