import type { Knex } from 'knex';
import type { ScanEffectView } from '../../contract/dock.js';
import type { Localized } from '../../contract/views.js';
import { hierarchyMessage, type HierarchyReason, type ReasonFacts } from '../../domain/hierarchy/index.js';
import { movementMessage, type MovementFacts, type MovementReason } from '../../domain/movements/reasons.js';

/** A dock decision about one scan, taken inside the scan's transaction before the event is appended. */
export interface DockOutcome {
  decision: 'accepted' | 'duplicate' | 'rejected';
  reasonCode: string | null;
  reason: Localized | null;
  duplicateOf?: number;
  /** Codes the worker must look for (rejections name them). */
  codes?: string[];
  effect?: ScanEffectView;
  /** The station's context (document, open parent, learn flow) changed: the screen gets it anew. */
  contextChanged?: boolean;
  /** The scan's effects, run after its event is appended (same transaction). */
  apply?: (trx: Knex.Transaction, scanId: number) => Promise<void>;
}

export const rejected = (reason: MovementReason, facts: MovementFacts = {}): DockOutcome => ({
  decision: 'rejected',
  reasonCode: reason,
  reason: movementMessage(reason, facts),
  codes: [facts.code, facts.parent, ...(facts.codes ?? [])].filter((c): c is string => !!c),
});

export const hierarchyRejected = (reason: HierarchyReason, codes: string[], message: Localized): DockOutcome => ({
  decision: reason === 'already_in_this_parent' ? 'duplicate' : 'rejected',
  reasonCode: reason,
  reason: message,
  codes,
});

export const notPacked = (code: string, level: number): DockOutcome =>
  hierarchyRejected('not_packed', [code], hierarchyMessage('not_packed', { child: code, childLevel: level as ReasonFacts['childLevel'] }));

export const duplicate = (reason: MovementReason | 'duplicate', message: Localized, duplicateOf?: number): DockOutcome => ({
  decision: 'duplicate',
  reasonCode: reason,
  reason: message,
  ...(duplicateOf !== undefined ? { duplicateOf } : {}),
});
