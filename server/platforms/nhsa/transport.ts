import { sendHttp } from '../http-transport.js';

/**
 * What a send can tell us. The difference between `not-sent` and `unknown` is what keeps a record
 * from being stored twice: before the request body has left this process the platform cannot have
 * processed it, so sending again is safe; after that — a timeout, a dropped connection, a 5xx —
 * the platform may have stored it, and only a query may decide.
 */
export type SendOutcome =
  | { phase: 'not-sent'; message: string }
  | { phase: 'unknown'; message: string }
  | { phase: 'answered'; status: number; text: string; ms: number };

export async function postJson(url: string, body: string, timeoutMs: number): Promise<SendOutcome> {
  const sent = await sendHttp({ url, body, timeoutMs, headers: { 'content-type': 'application/json; charset=utf-8' } });
  // A server error may come after the platform stored the call: treat it as unknown.
  if (sent.phase === 'answered' && sent.status >= 500) return { phase: 'unknown', message: `HTTP ${sent.status} ${sent.text.slice(0, 200)}`.trim() };
  return sent;
}
