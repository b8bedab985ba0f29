import type { RecallGroupRow, RecallOriginCount, RecallUnitRecord } from '../../../db/repositories/recall.repository.js';
import { RECALL_STATUSES, type RecallCounterpartyLine, type RecallRowView, type RecallStatus, type RecallSummaryView } from '../../contract/recall.js';

const asStatus = (s: string | null): RecallStatus | null => (s !== null && (RECALL_STATUSES as readonly string[]).includes(s) ? (s as RecallStatus) : null);

/** One unit as the screen and the file show it: now (status, document, counterparty) and backward (origin). */
export function toRowView(r: RecallUnitRecord): RecallRowView {
  const status = asStatus(r.status) ?? 'not_found';
  const origin: RecallRowView['origin'] = r.first
    ? { kind: 'received', document: { id: r.first.documentId, number: r.first.number }, counterparty: r.first.counterparty, at: r.first.at, importFile: null }
    : r.import
      ? { kind: 'made', document: null, counterparty: null, at: r.import.at, importFile: r.import.file }
      : { kind: 'unknown', document: null, counterparty: null, at: null, importFile: null };
  return {
    code: r.code,
    status,
    since: r.move?.at ?? r.since,
    product: r.productId !== null && r.productName !== null ? { id: r.productId, name: r.productName } : null,
    batch: r.batch,
    expiry: r.expiry,
    parent: r.parent,
    outerCase: r.outerCase !== r.parent ? r.outerCase : null,
    document: r.document,
    counterparty: r.counterparty,
    // A retail sale's movement carries the sale number as its reason (RetailSalesService.complete).
    sale: status === 'sold' && r.move?.kind === 'sale' ? { number: r.move.reason ?? '', at: r.move.at } : null,
    reason: status === 'locked' ? (r.move?.reason ?? null) : null,
    origin,
    lastReceipt:
      r.last && r.first && r.last.documentId !== r.first.documentId ? { document: { id: r.last.documentId, number: r.last.number }, counterparty: r.last.counterparty, at: r.last.at } : null,
  };
}

const line = (direction: 'in' | 'out', g: RecallGroupRow): RecallCounterpartyLine | null =>
  g.counterparty && g.document ? { direction, counterparty: g.counterparty, document: g.document, at: g.at, status: asStatus(g.status), units: g.units } : null;

/**
 * The call list: units that left on (or are being picked for) an outbound document, units being
 * received, and — backward — the documents the units were first received on.
 */
export function toLines(groups: RecallGroupRow[], firstReceipts: RecallGroupRow[]): RecallCounterpartyLine[] {
  const lines = [
    ...groups.map((g) => (g.document?.direction === 'out' ? line('out', g) : g.status === 'receiving' ? line('in', g) : null)),
    ...firstReceipts.map((g) => line('in', g)),
  ].filter((l): l is RecallCounterpartyLine => l !== null);
  // Who received units first (the call list), then where they came from; by name, then date.
  return lines.sort(
    (a, b) =>
      (a.direction === b.direction ? 0 : a.direction === 'out' ? -1 : 1) ||
      a.counterparty.name.localeCompare(b.counterparty.name, 'zh-CN') ||
      (a.at ?? Infinity) - (b.at ?? Infinity) ||
      a.document.number.localeCompare(b.document.number),
  );
}

export function toSummary(groups: RecallGroupRow[], origins: RecallOriginCount[], lines: RecallCounterpartyLine[]): RecallSummaryView {
  const byStatus = Object.fromEntries(RECALL_STATUSES.map((s) => [s, 0])) as Record<RecallStatus, number>;
  let sales = 0;
  for (const g of groups) {
    const s = asStatus(g.status);
    if (s) byStatus[s] += g.units;
    // Sold units carry no document: one group, whose distinct movements are the sales.
    if (s === 'sold') sales += g.movements;
  }
  const o = { received: 0, made: 0, unknown: 0 };
  for (const x of origins) o[x.origin] += x.units;
  const distinct = (dir: 'in' | 'out') => new Set(lines.filter((l) => l.direction === dir).map((l) => l.counterparty.id)).size;
  return { units: groups.reduce((n, g) => n + g.units, 0), byStatus, sales, origins: o, customers: distinct('out'), suppliers: distinct('in') };
}
