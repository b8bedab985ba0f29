import { createHash } from 'node:crypto';

/**
 * The operator guide's signature (三、(一)、2) 技术要求): `sha256Hex(ak + timestamp + sk + param)`,
 * UTF-8, lower-case hex — exactly Apache Commons' `DigestUtils.sha256Hex` of the Java sample.
 * `param` must be the very text that goes on the wire: re-serialising it after signing would
 * change whitespace or key order and break the signature.
 */
export function nhsaSign(ak: string, timestamp: string, sk: string, param: string): string {
  return createHash('sha256').update(ak + timestamp + sk + param, 'utf8').digest('hex');
}

