import type { MovementCodeRow, MovementRow, MovementSources, PackSourceRow } from '../../../../db/repositories/epcis-source.repository.js';
import { codeUriCache, documentUri, eventId, partyUri, saleUri, siteUri, stationUri } from './identifiers.js';
import { DOCUMENT_TRANSACTION_TYPE, LEFT_THE_SITE, movementVocabulary, type CbvAction } from './vocabulary.js';

/** China Standard Time has had no daylight saving since 1991: a fixed offset is exact. */
export const CHINA_OFFSET = '+08:00';
const CHINA_OFFSET_MS = 8 * 3600_000;

/** RFC 3339 in China time, e.g. 2026-11-23T09:30:00.000+08:00 (the same instant as the UTC form). */
export function chinaTime(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().replace('Z', CHINA_OFFSET);
}

interface EventCommon {
  eventTime: string;
  eventTimeZoneOffset: string;
  eventID: string;
  action: CbvAction;
  bizStep?: string;
  disposition?: string;
  readPoint?: { id: string };
  bizLocation?: { id: string };
  bizTransactionList?: Array<{ type?: string; bizTransaction: string }>;
  sourceList?: Array<{ type: string; source: string }>;
  destinationList?: Array<{ type: string; destination: string }>;
  errorDeclaration?: { declarationTime: string; reason: string };
}

export interface EpcisObjectEvent extends EventCommon {
  type: 'ObjectEvent';
  epcList: string[];
}

export interface EpcisAggregationEvent extends EventCommon {
  type: 'AggregationEvent';
  parentID: string;
  childEPCs: string[];
}

export type EpcisEvent = EpcisObjectEvent | EpcisAggregationEvent;

export interface PageSources {
  movements: MovementSources;
  packs: readonly PackSourceRow[];
}

/** Rows of one key, in arrival order (the repository already orders them by time). */
function groupBy<T>(rows: readonly T[], key: (r: T) => string | undefined): T[][] {
  const groups = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    if (k === undefined) continue;
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  return [...groups.values()];
}

const unique = (xs: string[]): string[] => [...new Set(xs)];

/** Undo and cancellation rows stand for the scan they void; a void without its scan says nothing. */
const VOIDING = new Set(['undo', 'cancel']);

function movementEvent(rows: MovementCodeRow[], m: MovementRow, voided: MovementRow | null, uscc: string, uri: (code: string) => string): EpcisObjectEvent {
  // A declared-void event repeats the original: its time, place, step and the state it had set.
  const first = rows[0]!;
  const origin = voided ? { id: voided.id, kind: voided.kind, at: voided.at, stationId: voided.stationId, state: first.fromState } : { id: m.id, kind: m.kind, at: m.at, stationId: m.stationId, state: first.toState };
  const vocab = movementVocabulary(origin.kind, (voided ?? m).direction, origin.state);
  const epcList = unique(rows.map((r) => uri(r.code)));
  const e: EpcisObjectEvent = {
    type: 'ObjectEvent',
    eventTime: chinaTime(origin.at),
    eventTimeZoneOffset: CHINA_OFFSET,
    eventID: eventId(['movement', uscc, origin.id], epcList),
    epcList,
    action: vocab.action,
  };
  if (vocab.bizStep) e.bizStep = vocab.bizStep;
  if (vocab.disposition) e.disposition = vocab.disposition;
  e.readPoint = { id: origin.stationId !== null ? stationUri(uscc, origin.stationId) : siteUri(uscc) };
  if (vocab.action !== 'DELETE' && !(vocab.disposition && LEFT_THE_SITE.has(vocab.disposition))) e.bizLocation = { id: siteUri(uscc) };

  const d = voided ?? m;
  const transactions: Array<{ type?: string; bizTransaction: string }> = [];
  if (d.documentNumber !== null && d.direction !== null) {
    transactions.push({ type: DOCUMENT_TRANSACTION_TYPE[d.direction], bizTransaction: documentUri(uscc, d.documentNumber) });
    // The supplier's own delivery note (送货单) is their despatch advice, numbered by them.
    if (d.direction === 'in' && d.deliveryNote && d.counterpartyUscc) transactions.push({ type: 'desadv', bizTransaction: documentUri(d.counterpartyUscc, d.deliveryNote) });
  }
  // The sale number; CBV has no point-of-sale receipt type, so the type is left out rather than guessed.
  if (d.kind === 'sale' && d.reason) transactions.push({ bizTransaction: saleUri(uscc, d.reason) });
  if (transactions.length) e.bizTransactionList = transactions;

  if (d.direction !== null && d.counterpartyUscc) {
    // NHSA FAQ: inbound the counterparty ships to us; outbound we ship to the counterparty.
    const [from, to] = d.direction === 'in' ? [partyUri(d.counterpartyUscc), partyUri(uscc)] : [partyUri(uscc), partyUri(d.counterpartyUscc)];
    e.sourceList = [{ type: 'owning_party', source: from }];
    e.destinationList = [{ type: 'owning_party', destination: to }];
  }
  if (voided) e.errorDeclaration = { declarationTime: chinaTime(m.at), reason: 'did_not_occur' };
  return e;
}

function packEvent(rows: PackSourceRow[], uscc: string, uri: (code: string) => string): EpcisAggregationEvent {
  const p = rows[0]!;
  // An undone pack scan is declared void: the event repeats the pack (or unpack) it reverses.
  const origin = p.compensated ?? p;
  const childEPCs = unique(rows.map((r) => uri(r.code)));
  const e: EpcisAggregationEvent = {
    type: 'AggregationEvent',
    eventTime: chinaTime(origin.at),
    eventTimeZoneOffset: CHINA_OFFSET,
    eventID: eventId(['pack', uscc, origin.scanId ?? `e${origin.id}`, origin.kind, p.parentCode], childEPCs),
    parentID: uri(p.parentCode),
    childEPCs,
    action: origin.kind === 'pack' ? 'ADD' : 'DELETE',
    bizStep: origin.kind === 'pack' ? 'packing' : 'unpacking',
    readPoint: { id: origin.stationId !== null ? stationUri(uscc, origin.stationId) : siteUri(uscc) },
    bizLocation: { id: siteUri(uscc) },
  };
  if (p.compensated) e.errorDeclaration = { declarationTime: chinaTime(p.at), reason: 'did_not_occur' };
  return e;
}

/**
 * The EPCIS events of one page of export codes: the codes one movement moved become one
 * ObjectEvent, the children one scan took out of (or put into) one parent one AggregationEvent.
 * Ordered by event time; at the same instant hierarchy changes come first (a split shipment
 * takes the pack out of its case, then picks it).
 */
export function pageEvents(uscc: string, src: PageSources): EpcisEvent[] {
  const uri = codeUriCache();
  const timed: Array<{ at: number; rank: number; order: number; event: EpcisEvent }> = [];
  const { codes, movements } = src.movements;
  const voidOf = (r: MovementCodeRow): MovementRow | null => (VOIDING.has(movements.get(r.movementId)?.kind ?? '') && r.voids !== null ? movements.get(r.voids) ?? null : null);
  const moves = groupBy(codes, (r) => {
    const m = movements.get(r.movementId);
    if (!m) return undefined;
    if (!VOIDING.has(m.kind)) return `m:${r.movementId}`;
    return voidOf(r) ? `v:${r.movementId}:${r.voids}` : undefined;
  });
  moves.forEach((rows, order) => {
    const m = movements.get(rows[0]!.movementId)!;
    const voided = voidOf(rows[0]!);
    timed.push({ at: (voided ?? m).at, rank: 1, order, event: movementEvent(rows, m, voided, uscc, uri) });
  });
  const packs = groupBy(src.packs, (r) => {
    const o = r.compensated;
    return o ? `c:${o.scanId ?? `e${o.id}`}:${o.kind}:${r.parentCode}:${r.at}` : `p:${r.scanId ?? `e${r.id}`}:${r.kind}:${r.parentCode}:${r.at}`;
  });
  packs.forEach((rows, order) => {
    const p = rows[0]!;
    timed.push({ at: (p.compensated ?? p).at, rank: 0, order, event: packEvent(rows, uscc, uri) });
  });
  timed.sort((a, b) => a.at - b.at || a.rank - b.rank || a.order - b.order);
  return timed.map((t) => t.event);
}
