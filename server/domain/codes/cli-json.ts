import type { DecodedScan } from './types.js';

/** DESIGN.md §3 field order of the decode CLI. */
const CONTRACT_KEYS = ['reason', 'aim', 'gtin', 'serial', 'batch', 'expiry', 'productionDate', 'sscc', 'traceCode', 'prefix', 'special'] as const;

export interface CliJsonOptions {
  /** Only the fields DESIGN.md §3 lists (no message, warnings or MA device identifier). */
  contract?: boolean;
}

/**
 * One JSON line for the decode CLI. Written by hand because `ais` must list AIs in scan order,
 * and a JS object would put "10", "17", "21" before "01".
 */
export function formatDecodedJson(scan: DecodedScan, options?: CliJsonOptions): string {
  let out = `{"input":${JSON.stringify(scan.input)},"kind":${JSON.stringify(scan.kind)},"valid":${scan.valid}`;
  for (const k of CONTRACT_KEYS) {
    const v = scan[k];
    if (v !== undefined) out += `,"${k}":${JSON.stringify(v)}`;
  }
  if (scan.ais !== undefined) {
    const order = scan.aiOrder ?? Object.keys(scan.ais);
    out += `,"ais":{${order.map((ai) => `${JSON.stringify(ai)}:${JSON.stringify(scan.ais![ai] ?? '')}`).join(',')}}`;
  }
  if (!options?.contract) {
    if (scan.udiDi !== undefined) out += `,"udiDi":${JSON.stringify(scan.udiDi)}`;
    if (scan.message !== undefined) out += `,"message":${JSON.stringify(scan.message)}`;
    if (scan.suspicious !== undefined) out += `,"suspicious":${JSON.stringify(scan.suspicious)}`;
  }
  return `${out}}`;
}
