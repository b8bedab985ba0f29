import { queryAnswer, refusalAnswer, refusals, uploadAnswer, type JsonObject, type Refusal } from './answers.js';
import { parseEnvelope } from './envelope.js';
import { runQuery } from './queries.js';
import type { Route } from './routes.js';
import { bump, type SandboxState } from './state.js';
import { acceptUpload } from './uploads.js';
import { verifyEnvelope } from './verify.js';

/** One operation call from body text to answer; every refusal leaves the store untouched. */
export function answerCall(s: SandboxState, route: Route, bodyText: string | null): JsonObject {
  const nowMs = s.now();
  const refuse = (r: Refusal) => {
    bump(s.refusals, r.code);
    return refusalAnswer(s.profile, r, nowMs);
  };
  if (bodyText === null) return refuse(refusals.format('报文过长或不是 UTF-8 文本'));
  const parsed = parseEnvelope(s.profile, bodyText);
  if (!parsed.ok) return refuse(parsed.refusal);
  const verified = verifyEnvelope({ profile: s.profile, accounts: s.accounts, toleranceSeconds: s.toleranceSeconds, nowMs }, parsed.envelope);
  if (!verified.ok) return refuse(verified.refusal);

  if (route.kind === 'query') {
    const result = runQuery(s.profile, route.id, verified.param, s.store.forAk(verified.account.ak));
    return result.ok ? queryAnswer(s.profile, result.rows, result.total, nowMs) : refuse(result.refusal);
  }
  const result = acceptUpload(s.profile, route.id, verified.param, verified.account, nowMs);
  if (!result.ok) return refuse(result.refusal);
  s.store.add(result.rows);
  return uploadAnswer(s.profile, result.rows.length, result.failures, nowMs);
}
