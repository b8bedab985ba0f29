import type { NhsaProfile } from '../../nhsa/profile.schema.js';

/**
 * Answers are always written through the profile's paths, so a profile that renames the answer
 * fields is read back correctly by the client's response.ts without any sandbox change.
 */

export interface Refusal {
  code: number;
  message: string;
}

export const refusals = {
  format: (why: string): Refusal => ({ code: 1004, message: `报文格式错误：${why}` }),
  unknownAk: (): Refusal => ({ code: 1001, message: 'ak 不存在或已停用' }),
  badSign: (): Refusal => ({ code: 1002, message: '签名校验失败' }),
  clock: (): Refusal => ({ code: 1003, message: '时间戳无效或超出允许范围' }),
  records: (why: string): Refusal => ({ code: 1005, message: `记录数超限或为空（${why}）` }),
  params: (why: string): Refusal => ({ code: 1006, message: `参数校验失败：${why}` }),
};

export type JsonObject = Record<string, unknown>;

export function setPath(target: JsonObject, path: string, value: unknown): void {
  const keys = path.split('.');
  let cur = target;
  for (const k of keys.slice(0, -1)) {
    const next = cur[k];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) cur[k] = {};
    cur = cur[k] as JsonObject;
  }
  cur[keys[keys.length - 1]!] = value;
}

/** `data.fail_list` → `data.success_count`: the counts sit beside the failure list. */
const sibling = (path: string, name: string) => path.split('.').slice(0, -1).concat(name).join('.');

function base(profile: NhsaProfile, code: string | number, message: string, nowMs: number): JsonObject {
  const body: JsonObject = {};
  setPath(body, profile.response.code, code);
  setPath(body, profile.response.message, message);
  if (profile.response.serverTime) setPath(body, profile.response.serverTime, String(Math.floor(nowMs / 1000)));
  return body;
}

const successCode = (profile: NhsaProfile) => profile.response.successCodes[0]!;

export const refusalAnswer = (profile: NhsaProfile, r: Refusal, nowMs: number): JsonObject => base(profile, r.code, r.message, nowMs);

export function uploadAnswer(profile: NhsaProfile, successCount: number, failures: JsonObject[], nowMs: number): JsonObject {
  const body = base(profile, successCode(profile), failures.length ? '部分成功' : '成功', nowMs);
  const list = profile.response.failures.list;
  setPath(body, sibling(list, 'success_count'), successCount);
  setPath(body, sibling(list, 'fail_count'), failures.length);
  setPath(body, list, failures);
  return body;
}

export function queryAnswer(profile: NhsaProfile, rows: JsonObject[], total: number, nowMs: number): JsonObject {
  const body = base(profile, successCode(profile), '成功', nowMs);
  setPath(body, profile.query.list, rows);
  if (profile.query.total) setPath(body, profile.query.total, total);
  return body;
}
