import type { NhsaProfile } from './profile.schema.js';
import { nhsaSign } from './sign.js';

export interface Credentials {
  ak: string;
  sk: string;
}

export class EnvelopeError extends Error {
  constructor(
    readonly field: 'ak' | 'timestamp' | 'sign' | 'param',
    readonly length: number,
    readonly limit: number,
  ) {
    super(`${field} is ${length} characters, the platform takes at most ${limit}`);
  }
}

/**
 * The request body of the guide's 接口输入报文: `{ak, timestamp, sign, param}`. The param text is
 * signed as it is written — as a JSON string (default) or embedded raw as the last key — and each
 * field's length is checked against the profile before anything leaves the machine.
 */
export function buildEnvelope(profile: NhsaProfile, c: Credentials, nowMs: number, paramText: string): { body: string; timestamp: string; sign: string } {
  const { maxLength, timestampUnit, paramEncoding } = profile.envelope;
  const timestamp = timestampUnit === 'seconds' ? String(Math.floor(nowMs / 1000)) : String(Math.floor(nowMs));
  const sign = nhsaSign(c.ak, timestamp, c.sk, paramText);
  const check = (field: EnvelopeError['field'], v: string) => {
    if (v.length > maxLength[field]) throw new EnvelopeError(field, v.length, maxLength[field]);
  };
  check('ak', c.ak);
  check('timestamp', timestamp);
  check('sign', sign);
  check('param', paramText);
  const head = `{"ak":${JSON.stringify(c.ak)},"timestamp":${JSON.stringify(timestamp)},"sign":${JSON.stringify(sign)},"param":`;
  return { body: head + (paramEncoding === 'string' ? JSON.stringify(paramText) : paramText) + '}', timestamp, sign };
}
