import { createHash } from 'node:crypto';
import { decodeScan, encodeDigitalLink, isTraceCode } from '../../../domain/codes/index.js';

/**
 * Identifiers of the EPCIS export. GS1 keys use the GS1 Digital Link form EPCIS 2.0 recommends
 * (https://id.gs1.org/01/{GTIN}/21/{serial}, https://id.gs1.org/00/{SSCC}). Everything else a
 * Chinese dock knows is not a GS1 key: the 20-digit drug trace code (药品追溯码, NMPA coding rule,
 * no GS1 company prefix) and the parties' 统一社会信用代码 (USCC, no GLN). Rather than inventing
 * fake GTINs or GLNs, they go into one private URN family named after the NHSA traceability
 * platform, because these are exactly the keys that platform files codes and units under, so a
 * partner can match our events against NHSA records. The namespace is not IANA-registered; it is
 * documented in test/fixtures/epcis/README.md and lives only in this file.
 */
export const URN = {
  /** urn:nhsa:tracecode:<20 digits> */
  traceCode: 'urn:nhsa:tracecode:',
  /** urn:nhsa:uscc:<USCC> — a party (owning party) and its site, like a GLN serves both in GS1. */
  party: 'urn:nhsa:uscc:',
  /** urn:nhsa:code:<percent-encoded> — a stored code that is neither a GS1 key nor a trace code. */
  otherCode: 'urn:nhsa:code:',
} as const;

const enc = (s: string): string => encodeURIComponent(s);

/** The EPC URI of a stored code (trace code, '01'+GTIN+'21'+serial, '00'+SSCC, or anything else). */
export function codeUri(code: string): string {
  if (isTraceCode(code)) return URN.traceCode + code;
  const d = decodeScan(code);
  if (d.valid && d.kind === 'sscc' && d.sscc) return encodeDigitalLink([{ ai: '00', value: d.sscc }]);
  if (d.valid && d.kind === 'gs1' && d.gtin && d.serial) return encodeDigitalLink([{ ai: '01', value: d.gtin }, { ai: '21', value: d.serial }]);
  if (d.valid && d.kind === 'trace20' && d.traceCode) return URN.traceCode + d.traceCode;
  // A GTIN without serial names a product, not one pack: never emit it as an instance EPC.
  return URN.otherCode + enc(code);
}

/** Memoised `codeUri` for one page: a case's codes appear in several events. */
export function codeUriCache(): (code: string) => string {
  const seen = new Map<string, string>();
  return (code) => {
    let u = seen.get(code);
    if (u === undefined) {
      u = codeUri(code);
      seen.set(code, u);
    }
    return u;
  };
}

export const partyUri = (uscc: string): string => URN.party + enc(uscc);
/** The unit's own site (bizLocation, and the read point of work done off a station). */
export const siteUri = (uscc: string): string => partyUri(uscc);
export const stationUri = (uscc: string, stationId: number): string => `${partyUri(uscc)}:station:${stationId}`;
/** Document numbers are unique per company (DOMAIN.md §4), so the issuer's USCC scopes them. */
export const documentUri = (issuerUscc: string, number: string): string => `${partyUri(issuerUscc)}:doc:${enc(number)}`;
export const saleUri = (uscc: string, number: string): string => `${partyUri(uscc)}:sale:${enc(number)}`;

/**
 * A stable event id: a name-based (SHA-1, version 5 layout) UUID of the source event and the EPCs
 * it carries, so a re-export gives the same ids and an error declaration repeats the id of the
 * event it declares void (EPCIS 2.0 §7.4.1.4).
 */
export function eventId(parts: readonly (string | number)[], epcs: readonly string[]): string {
  const h = createHash('sha1').update(parts.join('|')).update('\n').update([...epcs].sort().join(' ')).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `urn:uuid:${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
