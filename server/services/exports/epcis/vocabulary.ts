/**
 * The dock's movements in CBV 2.0 terms (bare CBV words, as the EPCIS 2.0 JSON-LD context
 * expands them). The choices, and why:
 * - receive (a scan into an inbound document) is `receiving`; the codes are not stock yet, so
 *   `in_progress`. Completing the inbound document is the moment possession and ownership pass to
 *   us (the NHSA FAQ's 收货): `accepting`, and the codes become `sellable_not_accessible` stock.
 * - pick (a scan onto an outbound document) is `picking`; completing it ships (`shipping`,
 *   `in_transit`).
 * - lock (recall, quarantine) is `holding` → `non_sellable_other`; unlock ends the hold. CBV has
 *   no "release" step; `inspecting` is the step that ends a hold, and the codes are stock again.
 * - scrap ends the pack's life: `destroying`, `destroyed`, action DELETE.
 * - sale is the retail sale at the counter: `retail_selling`, `retail_sold`.
 * - undo and document cancellation are not business steps: they declare the scans they reverse
 *   void, so the export repeats those events with an errorDeclaration (see events.ts).
 */
export type CbvAction = 'OBSERVE' | 'ADD' | 'DELETE';

export interface MovementVocabulary {
  action: CbvAction;
  bizStep?: string;
  disposition?: string;
}

/** The disposition a code has after a movement put it in `state` (code_states vocabulary). */
const DISPOSITION_OF_STATE: Record<string, string> = {
  receiving: 'in_progress',
  picking: 'in_progress',
  in_stock: 'sellable_not_accessible',
  shipped: 'in_transit',
  sold: 'retail_sold',
  locked: 'non_sellable_other',
  scrapped: 'destroyed',
  returned: 'returned',
};

export function movementVocabulary(kind: string, direction: 'in' | 'out' | null, toState: string): MovementVocabulary {
  const disposition = DISPOSITION_OF_STATE[toState];
  const withDisposition = (v: MovementVocabulary): MovementVocabulary => (disposition ? { ...v, disposition } : v);
  switch (kind) {
    case 'receive':
      return withDisposition({ action: 'OBSERVE', bizStep: 'receiving' });
    case 'return':
      return withDisposition({ action: 'OBSERVE', bizStep: 'receiving' });
    case 'pick':
      return withDisposition({ action: 'OBSERVE', bizStep: 'picking' });
    case 'complete':
      return withDisposition({ action: 'OBSERVE', bizStep: direction === 'out' ? 'shipping' : 'accepting' });
    case 'lock':
      return withDisposition({ action: 'OBSERVE', bizStep: 'holding' });
    case 'unlock':
      return withDisposition({ action: 'OBSERVE', bizStep: 'inspecting' });
    case 'scrap':
      return { action: 'DELETE', bizStep: 'destroying', disposition: 'destroyed' };
    case 'sale':
      return { action: 'OBSERVE', bizStep: 'retail_selling', disposition: 'retail_sold' };
    default:
      return withDisposition({ action: 'OBSERVE' });
  }
}

/** Dispositions after which the objects are no longer at our site (no bizLocation, CBV §7.2). */
export const LEFT_THE_SITE: ReadonlySet<string> = new Set(['in_transit', 'retail_sold', 'destroyed']);

/** Business transaction types: our inbound document is a receiving advice, outbound a despatch advice. */
export const DOCUMENT_TRANSACTION_TYPE = { in: 'recadv', out: 'desadv' } as const;
