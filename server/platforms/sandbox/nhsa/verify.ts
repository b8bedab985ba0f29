import { timingSafeEqual } from 'node:crypto';
import { nhsaSign } from '../../nhsa/sign.js';
import type { NhsaProfile } from '../../nhsa/profile.schema.js';
import { refusals, type Refusal } from './answers.js';
import type { Envelope } from './envelope.js';
import type { SandboxAccount } from './types.js';

export interface VerifyContext {
  profile: NhsaProfile;
  accounts: ReadonlyMap<string, SandboxAccount>;
  toleranceSeconds: number;
  nowMs: number;
}

export type Verified = { ok: true; account: SandboxAccount; param: Record<string, unknown> } | { ok: false; refusal: Refusal };

function timestampOk(ctx: VerifyContext, timestamp: string): boolean {
  if (!/^\d+$/.test(timestamp)) return false;
  const ms = ctx.profile.envelope.timestampUnit === 'milliseconds' ? Number(timestamp) : Number(timestamp) * 1000;
  return Math.abs(ctx.nowMs - ms) <= ctx.toleranceSeconds * 1000;
}

/** Lower-case hex only: the guide's DigestUtils.sha256Hex never writes upper case. */
function signOk(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Steps 2–5: who is calling, whether now, whether they hold the sk, and whether param is an object. */
export function verifyEnvelope(ctx: VerifyContext, e: Envelope): Verified {
  const account = ctx.accounts.get(e.ak);
  if (!account) return { ok: false, refusal: refusals.unknownAk() };
  if (!timestampOk(ctx, e.timestamp)) return { ok: false, refusal: refusals.clock() };
  if (!signOk(nhsaSign(e.ak, e.timestamp, account.sk, e.paramText), e.sign)) return { ok: false, refusal: refusals.badSign() };
  let param: unknown;
  try {
    param = JSON.parse(e.paramText);
  } catch {
    return { ok: false, refusal: refusals.format('param 不是合法的 JSON') };
  }
  if (param === null || typeof param !== 'object' || Array.isArray(param)) return { ok: false, refusal: refusals.format('param 不是 JSON 对象') };
  return { ok: true, account, param: param as Record<string, unknown> };
}
