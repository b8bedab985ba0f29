import type { NhsaProfile } from '../../nhsa/profile.schema.js';
import { refusals, type Refusal } from './answers.js';
import { rawMember } from './rawjson.js';

/** The guide's 接口输入报文: ak, timestamp, sign and param, with `paramText` the text that was signed. */
export interface Envelope {
  ak: string;
  timestamp: string;
  sign: string;
  paramText: string;
}

export type EnvelopeResult = { ok: true; envelope: Envelope } | { ok: false; refusal: Refusal };

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const refuse = (why: string): EnvelopeResult => ({ ok: false, refusal: refusals.format(why) });

/** Step 1 of the verification: the body's shape and the guide's length limits. */
export function parseEnvelope(profile: NhsaProfile, bodyText: string): EnvelopeResult {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return refuse('报文不是合法的 JSON');
  }
  if (!isObject(body)) return refuse('报文不是 JSON 对象');

  for (const name of ['ak', 'timestamp', 'sign'] as const) {
    const v = body[name];
    if (v === undefined || v === null || v === '') return refuse(`${name} 缺失`);
    if (typeof v !== 'string') return refuse(`${name} 必须是字符串`);
  }
  const param = body.param;
  let paramText: string;
  if (param === undefined || param === null || param === '') return refuse('param 缺失');
  if (typeof param === 'string') paramText = param;
  else if (profile.envelope.paramEncoding === 'object' && isObject(param)) paramText = rawMember(bodyText, 'param') ?? '';
  else return refuse(profile.envelope.paramEncoding === 'object' ? 'param 必须是 JSON 对象或字符串' : 'param 必须是字符串');

  const envelope: Envelope = { ak: body.ak as string, timestamp: body.timestamp as string, sign: body.sign as string, paramText };
  const limits = profile.envelope.maxLength;
  const lengths = { ak: envelope.ak.length, timestamp: envelope.timestamp.length, sign: envelope.sign.length, param: paramText.length };
  for (const name of ['ak', 'timestamp', 'sign', 'param'] as const) {
    if (lengths[name] > limits[name]) return refuse(`${name} 超长（${lengths[name]} > ${limits[name]}）`);
  }
  return { ok: true, envelope };
}
