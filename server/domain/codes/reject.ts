import { reasonMessage, type ReasonCode, type ReasonDetail } from './reasons.js';
import type { CodeKind, DecodedScan } from './types.js';

/** Marks `out` rejected with a stable reason and its zh-CN/en message. */
export function reject(out: DecodedScan, kind: CodeKind, reason: ReasonCode, detail?: ReasonDetail): DecodedScan {
  out.kind = kind;
  out.valid = false;
  out.reason = reason;
  out.message = reasonMessage(reason, detail);
  return out;
}
