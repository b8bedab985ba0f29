import type { Knex } from 'knex';
import { movementMessage } from '../../domain/movements/reasons.js';
import type { DockScanInput } from './dock-scans.js';
import { rejected, type DockOutcome } from './outcome.js';
import type { DockRepos } from './repos.js';

/**
 * Learn flow (DOMAIN.md §5): after a trace code with an unknown identification code, the worker
 * scans the same pack's commodity barcode; its product and level (known from master data) become a
 * pending mapping prefix → product that a supervisor approves. Undefined: this scan is not part of it.
 */
export async function decideLearn(trx: Knex.Transaction, repos: DockRepos, s: DockScanInput, learnCode: string): Promise<DockOutcome | undefined> {
  const f = s.classification.fields;
  const isCommodity = f?.kind === 'commodity' || (f?.kind === 'gs1' && f.gtin !== undefined && f.serial === undefined);
  if (!isCommodity || !f?.gtin) return undefined;
  const prefix = learnCode.slice(0, 7);
  const clear = (out: DockOutcome): DockOutcome => ({ ...out, contextChanged: true, apply: async (t, id) => { await out.apply?.(t, id); await repos.context.update(t, s.stationId, { learnCode: null }, s.at); } });

  const product = await repos.productCodes.activeGtin(trx, f.gtin);
  if (!product) return clear(rejected('learn_gtin_unknown', { gtin: f.gtin, code: learnCode }));
  if (await repos.productCodes.pending(trx, 'prefix', prefix)) {
    return clear({ decision: 'duplicate', reasonCode: 'learn_pending', reason: movementMessage('learn_pending', { prefix }) });
  }
  const mapping = product;
  return clear({
    decision: 'accepted',
    reasonCode: 'learn_pending',
    reason: movementMessage('learn_pending', { prefix }),
    effect: { action: 'learn', units: 0, codes: 0 },
    apply: async (t) => {
      await repos.productCodes.propose(t, { productId: mapping.productId, level: mapping.level, kind: 'prefix', value: prefix, by: s.actor.operatorId, at: s.at });
    },
  });
}
