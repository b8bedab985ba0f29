import type { Knex } from 'knex';
import type { StationContextRow } from '../../../db/repositories/station-context.repository.js';
import type { StationKind } from '../../contract/views.js';
import type { Classification } from '../../domain/scans/classify.js';
import type { ScanActor } from '../scan.service.js';
import { decideAggregation } from './aggregate-scan.js';
import { decideLearn } from './learn-scan.js';
import { decidePick, decideReceive } from './movement-scan.js';
import { rejected, type DockOutcome } from './outcome.js';
import type { DockRepos } from './repos.js';
import { resolvePack } from './resolve.js';

export interface DockScanInput {
  stationId: number;
  stationKind: StationKind;
  text: string;
  classification: Classification;
  actor: ScanActor;
  at: number;
}

/** The station kinds whose scans move packs; other kinds keep the plain station journal. */
export const DOCK_KINDS: ReadonlySet<StationKind> = new Set(['receiving', 'dispatch', 'aggregation']);

/** The document direction a station works on (aggregation and the others: none). */
export const STATION_DIRECTION: Partial<Record<StationKind, 'in' | 'out'>> = { receiving: 'in', dispatch: 'out' };

const localDate = (at: number): string => {
  const d = new Date(at);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/**
 * Decides a scan at a dock station inside the scan's transaction: selects a document by its
 * number, runs the learn flow, and otherwise hands the resolved pack to the receiving, dispatch or
 * aggregation rules. Undefined: not a dock matter (the plain station rules apply).
 */
export class DockScanDecider {
  constructor(private readonly repos: DockRepos) {}

  async decide(trx: Knex.Transaction, s: DockScanInput): Promise<DockOutcome | undefined> {
    if (!DOCK_KINDS.has(s.stationKind)) return undefined;
    const context = await this.repos.context.get(trx, s.stationId);
    const direction = STATION_DIRECTION[s.stationKind];

    // A document's own barcode (its number) selects it: no keyboard needed at the dock.
    if (direction) {
      const doc = await this.repos.documents.findOpenByNumber(trx, s.actor.unitId, s.text.trim());
      if (doc && doc.direction === direction) return this.selectDocument(s, doc.id);
    }
    if (context.learnCode) {
      const learnt = await decideLearn(trx, this.repos, s, context.learnCode);
      if (learnt) return learnt;
    }
    const c = s.classification;
    if (!c.ok) return context.learnCode ? withContext({ decision: 'rejected', reasonCode: c.reasonCode, reason: c.reason }, this.repos, s, { learnCode: null }) : undefined;

    const pack = await resolvePack(trx, this.repos, c.code, c.fields);
    const clearLearn = context.learnCode ? { learnCode: null } : undefined;
    if (!pack.product && !pack.productKey) {
      // Unknown identification code: the next scan of a commodity barcode proposes the mapping.
      const out = rejected('unknown_product', { code: pack.code, prefix: pack.prefix ?? pack.gtin ?? pack.code });
      return withContext(out, this.repos, s, { learnCode: pack.prefix ? pack.code : null });
    }
    if (s.stationKind === 'aggregation') {
      return withContext(await decideAggregation({ trx, actor: s.actor, stationId: s.stationId, context, pack, at: s.at }, this.repos), this.repos, s, clearLearn);
    }
    const document = context.documentId !== null ? await this.repos.documents.get(trx, context.documentId) : undefined;
    if (!document || document.status !== 'open' || document.direction !== direction) return withContext(rejected('no_document'), this.repos, s, clearLearn);
    const input = { trx, actor: s.actor, stationId: s.stationId, document, pack, at: s.at, today: localDate(s.at) };
    const out = direction === 'in' ? await decideReceive(input, this.repos) : await decidePick(input, this.repos);
    return withContext(out, this.repos, s, clearLearn);
  }

  private selectDocument(s: DockScanInput, documentId: number): DockOutcome {
    return {
      decision: 'accepted',
      reasonCode: null,
      reason: null,
      effect: { action: 'select_document', units: 0, codes: 0, documentId },
      contextChanged: true,
      apply: (trx) => this.repos.context.update(trx, s.stationId, { documentId, learnCode: null }, s.at),
    };
  }
}

/** Adds a station-context change to an outcome (also to a rejection, which has no other effect). */
function withContext(out: DockOutcome, repos: DockRepos, s: DockScanInput, patch: Partial<Omit<StationContextRow, 'stationId'>> | undefined): DockOutcome {
  if (!patch) return out;
  const previous = out.apply;
  return {
    ...out,
    contextChanged: true,
    apply: async (trx, scanId) => {
      await previous?.(trx, scanId);
      await repos.context.update(trx, s.stationId, patch, s.at);
    },
  };
}
