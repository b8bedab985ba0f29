import type { CodeView, DocumentDirection } from './dock.js';

/**
 * One code's timeline (issue 8): everything that happened to the code and to the cases around it
 * at the session unit, oldest first, with who, where and under which document, and every platform
 * call that carried it with the platform's answer.
 */
export type TimelineSource = 'import' | 'movement' | 'pack' | 'children' | 'upload' | 'scan';

export interface TimelineParty {
  id: number;
  name: string;
}

export interface TimelineEvent {
  at: number;
  source: TimelineSource;
  /**
   * import: 'imported' · movement: receive | pick | complete | cancel | undo | lock | unlock | return |
   * scrap | sale · pack / children: pack | unpack · upload: the ledger event (queued, sent, accepted,
   * rejected, unknown …) · scan: the scan's decision (duplicate, rejected).
   */
  kind: string;
  fromState: string | null;
  toState: string | null;
  /** The case whose scan or packing moved this code, when it was not the code itself. */
  via: string | null;
  document: { id: number; number: string; direction: DocumentDirection; counterparty: { name: string; uscc: string } | null } | null;
  operator: TimelineParty | null;
  station: TimelineParty | null;
  unit: TimelineParty | null;
  scanId: number | null;
  /** pack / unpack: the case the code went into or came out of. */
  parent: string | null;
  /** children: how many codes one scan packed into or took out of this case. */
  count: number | null;
  reason: string | null;
  upload: { platform: 'nhsa' | 'gansu'; operation: string; recordId: number; batchId: number | null; httpStatus: number | null; message: string | null } | null;
  /** Retail sale number for a sale, relation file name for an import. */
  ref: string | null;
}

export interface TimelineNode {
  code: string;
  level: number;
  state: string | null;
  batch: string | null;
}

export interface CodeTreeView {
  /** The parent chain, nearest first. */
  ancestors: TimelineNode[];
  /** Everything below the code, per level (level 1 = units). */
  descendants: Array<{ level: number; count: number }>;
  /** The direct children, the first page of them. */
  children: TimelineNode[];
  childrenTotal: number;
}

export interface CodeTimelineView {
  /** The code as stored (a GS1 element string resolves to its GTIN + serial identity). */
  code: string;
  view: CodeView;
  tree: CodeTreeView;
  events: TimelineEvent[];
}
