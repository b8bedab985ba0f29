import type { DecodedFields, Localized, StationKind } from '../../contract/views.js';
import { decodeScan, reasonMessage, type DecodedScan, type DecodeOptions } from '../codes/index.js';

export interface ScanInput {
  text: string;
  validUtf8: boolean;
  terminatedBy?: 'suffix' | 'timeout' | 'overflow';
  /** AIM id reported by the transport itself (HID POS); the decoder also finds one inside the text. */
  aim?: string;
}

export type Classification =
  | { ok: true; code: string; kind: string; fields: DecodedFields }
  | { ok: false; reasonCode: string; reason: Localized; kind: string | null; fields: DecodedFields | null };

/**
 * Stations that move packs (receiving, dispatch, aggregation) need the code of *this* pack: a
 * product barcode there is the classic wrong-barcode mistake and is rejected with that reason.
 */
const TRACE_STATIONS: ReadonlySet<StationKind> = new Set(['receiving', 'dispatch', 'aggregation']);

export function decodeOptionsFor(kind: StationKind, base: DecodeOptions = {}): DecodeOptions {
  return { ...base, expect: TRACE_STATIONS.has(kind) ? 'trace' : 'any' };
}


/** Decides what a scan is (pure): the full decoder of server/domain/codes, station-aware. */
export function classifyScan(input: ScanInput, options: DecodeOptions = {}): Classification {
  // Frame problems found before any decoding: the bytes never were one scan.
  if (input.terminatedBy === 'overflow') {
    return { ok: false, reasonCode: 'too_long', reason: reasonMessage('too_long', { detail: String(input.text.length) }), kind: null, fields: null };
  }
  if (!input.validUtf8) return { ok: false, reasonCode: 'invalid_utf8', reason: reasonMessage('invalid_utf8'), kind: null, fields: null };
  const text = input.aim && !input.text.startsWith(']') ? input.aim + input.text : input.text;
  const d = decodeScan(text, options);
  const fields = toFields(d);
  if (!d.valid) {
    const reasonCode = d.reason ?? 'unknown_format';
    return { ok: false, reasonCode, reason: d.message ?? reasonMessage(reasonCode), kind: d.kind, fields };
  }
  return { ok: true, code: unitKey(d), kind: d.kind, fields };
}

/**
 * The key that makes a second scan of the same thing a duplicate: the pack's identity when the
 * code names one pack (trace code, GTIN + serial, SSCC), otherwise the product-level code itself.
 */
function unitKey(d: DecodedScan): string {
  if (d.identity) return d.identity;
  if (d.ais && d.aiOrder) return d.aiOrder.map((ai) => `(${ai})${d.ais![ai]}`).join('');
  return d.nhsaCode ?? d.udiDi ?? (d.gtin ? `01${d.gtin}` : d.input);
}

function toFields(d: DecodedScan): DecodedFields {
  const f: DecodedFields = { kind: d.kind };
  if (d.gtin) f.gtin = d.gtin;
  if (d.serial) f.serial = d.serial;
  if (d.batch) f.batch = d.batch;
  if (d.expiry) f.expiry = d.expiry;
  if (d.productionDate) f.productionDate = d.productionDate;
  if (d.sscc) f.sscc = d.sscc;
  if (d.traceCode) f.traceCode = d.traceCode;
  if (d.prefix) f.prefix = d.prefix;
  if (d.special !== undefined) f.special = d.special;
  return f;
}
