/**
 * What a saveSaleData answer means for the rows of the call (the guide's 返回结果 table,
 * DOMAIN.md §7). The message is read as well as the number: the guide's own example answers 452
 * ("Exceed Limit" in the table) with "参数检验失败" and the problems in `data`.
 */

export interface GansuAnswer {
  httpStatus: number;
  /** The body's `code`; null when the body had none (then httpStatus is all we know). */
  code: number | null;
  msg: string;
  data: unknown;
}

export interface GansuProblem {
  /**
   * 1-based row of the call the platform named ("第N行：…", "row N: …"), when it named one. A part
   * without a prefix that follows one ("第2行：a，b") belongs to the same row.
   */
  row: number | null;
  /** The problem as the platform wrote it, without the row prefix. */
  text: string;
}

export type SaveVerdict =
  /** Stored, every row. */
  | { kind: 'accepted' }
  /** 402: get a new token and send again — unless this was a resend with the same token (see isTokenSpent). */
  | { kind: 'token-invalid'; message: string }
  /** 453: nothing stored; wait at least `retryAfterMs` before the account's next call. */
  | { kind: 'too-fast'; retryAfterMs: number; message: string }
  /** More rows than the platform takes in one call: split and send again. Nothing stored. */
  | { kind: 'too-many-rows'; message: string }
  /** Parameter check failed: nothing stored; the rows named in `problems` need fixing. */
  | { kind: 'rejected-rows'; message: string; problems: GansuProblem[] }
  /** 400/401/404/406: the configuration (URL, appKey, store USCC, method) is wrong; resending will not help. */
  | { kind: 'refused'; code: number; message: string }
  /** 408/500/5xx, an unreadable answer or a code the guide does not list: the rows may or may not be stored. */
  | { kind: 'unknown'; code: number | null; message: string };

export const RETRY_AFTER_TOO_FAST_MS = 1_000;

const TOO_MANY = /超出最大条数|超过最大条数|最大条数|条数超|exceed.*limit|too many/i;
const PARAMS = /参数.{0,2}[检校]验|参数.{0,4}(错误|失败|不合法)|parameter/i;
const TOKEN = /token.{0,4}(失效|无效|过期|invalid|expired)/i;
const TOO_FAST = /频率|过快|too fast|rate limit/i;

const textOf = (a: GansuAnswer) => `${a.msg} ${typeof a.data === 'string' ? a.data : ''}`;

export function classifySaveAnswer(a: GansuAnswer): SaveVerdict {
  const code = a.code ?? a.httpStatus;
  const message = [a.msg, typeof a.data === 'string' ? a.data : a.data == null ? '' : JSON.stringify(a.data)].filter(Boolean).join(' — ') || `code ${code}`;
  if (a.code === null && a.httpStatus === 200) return { kind: 'unknown', code: null, message: `an answer without a code: ${message}`.slice(0, 300) };
  switch (code) {
    case 200:
      return { kind: 'accepted' };
    case 402:
      return { kind: 'token-invalid', message };
    case 453:
      return { kind: 'too-fast', retryAfterMs: RETRY_AFTER_TOO_FAST_MS, message };
    case 452:
    case 454: {
      // The message decides between the two; the number only when the message says neither.
      const t = textOf(a);
      if (TOO_MANY.test(a.msg)) return { kind: 'too-many-rows', message };
      if (PARAMS.test(a.msg)) return { kind: 'rejected-rows', message, problems: parseProblems(a.data) };
      if (TOO_MANY.test(t)) return { kind: 'too-many-rows', message };
      return code === 452 ? { kind: 'too-many-rows', message } : { kind: 'rejected-rows', message, problems: parseProblems(a.data) };
    }
    case 400:
    case 401:
    case 404:
    case 405:
    case 406:
      return { kind: 'refused', code, message };
    default:
      // An unlisted code that says what it is still counts as that.
      if (TOKEN.test(a.msg)) return { kind: 'token-invalid', message };
      if (TOO_FAST.test(a.msg)) return { kind: 'too-fast', retryAfterMs: RETRY_AFTER_TOO_FAST_MS, message };
      return { kind: 'unknown', code, message };
  }
}

/**
 * The token of a call that got this answer can no longer be used. A token serves exactly one call
 * (the guide: 一次 token 只能调用一次接口), so a resend of the SAME rows with the SAME token after an
 * unknown outcome that is answered 402 means the first send was stored. The assumption: the
 * platform invalidates a token only by using it. A token it drops for any other reason (expiry,
 * restart, a new login) would be read as "stored" too — so resend with the same token soon after
 * the unknown outcome, not hours later.
 */
export function isTokenSpent(a: GansuAnswer): boolean {
  return classifySaveAnswer(a).kind === 'token-invalid';
}

const ROW_PREFIX = /^(?:第\s*(\d+)\s*(?:行|条)|row\s*#?\s*(\d+))\s*[:：,，]?\s*/i;

/** Splits on `seps`, but not inside brackets (a problem may quote "YB,YX"). */
function splitOutside(text: string, seps: RegExp): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(' || ch === '（' || ch === '[' || ch === '【' || ch === '“') depth++;
    else if (ch === ')' || ch === '）' || ch === ']' || ch === '】' || ch === '”') depth = Math.max(0, depth - 1);
    if (depth === 0 && seps.test(ch)) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/**
 * The problems in a 452/454 answer's `data`: a string ("药品名称不能为空 ,购买人名称不大于 300"), a
 * list of strings, or a list of objects with a row number and a message. A problem that names its
 * row ("第3行：…" / "row 3: …", 1-based) is attributed to it; one that does not concerns the call.
 */
export function parseProblems(data: unknown): GansuProblem[] {
  const out: GansuProblem[] = [];
  const fromText = (t: string, row: number | null = null) => {
    // Hard separators (；; newline) end a row's problems; commas continue them ("第2行：a，b").
    for (const clause of splitOutside(t, /[；;\n]/)) {
      let current = row;
      for (const part of splitOutside(clause, /[,，]/)) {
        const m = ROW_PREFIX.exec(part);
        if (m) {
          current = Number(m[1] ?? m[2]);
          const rest = part.slice(m[0].length).trim();
          if (rest !== '') out.push({ row: current, text: rest });
        } else out.push({ row: current, text: part });
      }
    }
  };
  if (typeof data === 'string') fromText(data);
  else if (Array.isArray(data)) {
    for (const item of data) {
      if (typeof item === 'string') fromText(item);
      else if (item && typeof item === 'object') {
        const o = item as Record<string, unknown>;
        const n = Number(o.row ?? o.line ?? o.index ?? NaN);
        const msg = o.msg ?? o.message ?? o.error ?? JSON.stringify(item);
        fromText(String(msg), Number.isInteger(n) && n >= 1 ? n : null);
      }
    }
  } else if (data !== null && data !== undefined) fromText(JSON.stringify(data));
  return out;
}

/** Problems grouped by 1-based row; problems that name no row under 0 (they concern every row). */
export function problemsByRow(problems: GansuProblem[]): Map<number, string[]> {
  const m = new Map<number, string[]>();
  for (const p of problems) {
    const k = p.row ?? 0;
    m.set(k, [...(m.get(k) ?? []), p.text]);
  }
  return m;
}
