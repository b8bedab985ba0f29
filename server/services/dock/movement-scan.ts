import type { Knex } from 'knex';
import type { CodeStateRow } from '../../../db/repositories/code-states.repository.js';
import type { DocumentRow } from '../../../db/repositories/documents.repository.js';
import { scanOfMovement } from '../../../db/repositories/movements.repository.js';
import { movementMessage } from '../../domain/movements/reasons.js';
import { SCAN_REASONS } from '../../domain/scans/reasons.js';
import type { ScanActor } from '../scan.service.js';
import { duplicate, rejected, type DockOutcome } from './outcome.js';
import type { DockRepos } from './repos.js';
import type { ResolvedPack } from './resolve.js';

export interface MovementScan {
  trx: Knex.Transaction;
  actor: ScanActor;
  stationId: number;
  document: DocumentRow;
  pack: ResolvedPack;
  at: number;
  /** Local calendar date (YYYY-MM-DD) for the expiry rule. */
  today: string;
}

/** The earlier event that explains a rejection: which document moved the code, and when. */
async function earlier(s: MovementScan, repos: DockRepos, st: CodeStateRow): Promise<{ document: string; at: number; scanId: number | undefined }> {
  const doc = st.documentId !== null ? await repos.documents.get(s.trx, st.documentId) : undefined;
  const m = await scanOfMovement(s.trx, st.movementId);
  return { document: doc?.number ?? '—', at: m?.at ?? st.updatedAt, scanId: m?.scanId ?? undefined };
}

async function duplicateOnThisDocument(s: MovementScan, st: CodeStateRow): Promise<DockOutcome> {
  const m = await scanOfMovement(s.trx, st.movementId);
  const scanned = m?.scanId ? ((await s.trx('scan_events').where({ id: m.scanId }).first('code')) as { code: string | null } | undefined)?.code : undefined;
  // Moved as part of a case scanned earlier: say which, the worker is holding a box from that case.
  if (scanned && scanned !== s.pack.code) return duplicate('received_with_case', movementMessage('received_with_case', { code: s.pack.code, parent: scanned }), m?.scanId ?? undefined);
  return duplicate('duplicate', SCAN_REASONS.duplicate, m?.scanId ?? undefined);
}

/** Inbound (收货): may this pack (and everything packed in it) be received on this document? */
export async function decideReceive(s: MovementScan, repos: DockRepos): Promise<DockOutcome> {
  const { trx, pack, document } = s;
  const code = pack.code;
  const st = await repos.codeStates.lookup(trx, s.actor.unitId, code);
  const isReturn = document.type === '103';
  if (st) {
    if (st.state === 'receiving' && st.documentId === document.id) return duplicateOnThisDocument(s, st);
    const e = await earlier(s, repos, st);
    if (st.state === 'receiving' || st.state === 'picking') return rejected('on_other_document', { code, document: e.document, state: st.state });
    if (st.state === 'shipped' && !isReturn) return rejected('shipped_before', { code, document: e.document, at: e.at });
    if (st.state === 'scrapped') return rejected('scrapped', { code, document: e.document });
    if (st.state !== 'shipped') return rejected('already_in_stock', { code, document: e.document, at: e.at });
  }

  let unexpected = false;
  if (document.hasExpected) {
    const products = await repos.documents.expectedProducts(trx, document.id);
    if (!pack.product || !products.has(pack.product.id)) return rejected('not_on_document', { code, product: pack.product?.name });
    if ((await repos.documents.expectedUnder(trx, document.id, code)) === 0) {
      // A box from a case this document does not list: it belongs to someone else's delivery.
      const outer = (await repos.packs.ancestors(trx, code)).at(-1);
      const listsCodes = (await trx('document_lines').where({ document_id: document.id }).whereNotNull('code').first('id')) !== undefined;
      if (outer && listsCodes) return rejected('inside_other_case', { code, parent: outer.code });
      unexpected = true;
    }
  }

  if (pack.pack) {
    const b = await repos.codeStates.subtreeBlockers(trx, s.actor.unitId, code, 'receive', document.id, isReturn);
    if (b.count > 0) return rejected('children_unavailable', { code, count: b.count, codes: b.sample.map((x) => x.code), state: b.sample[0]?.state });
  }
  return moveOutcome(s, repos, 'receive', 'receiving', unexpected);
}

/** Outbound (发货): the pack must be in stock, unexpired, unlocked, of a shippable product, and on the pick list. */
export async function decidePick(s: MovementScan, repos: DockRepos): Promise<DockOutcome> {
  const { trx, pack, document } = s;
  const code = pack.code;
  const st = await repos.codeStates.lookup(trx, s.actor.unitId, code);
  if (!st) return rejected('not_received', { code });
  if (st.state === 'picking' && st.documentId === document.id) return duplicateOnThisDocument(s, st);
  const e = await earlier(s, repos, st);
  if (st.state === 'shipped' || st.state === 'returned') return rejected('already_shipped', { code, document: e.document, at: e.at });
  if (st.state === 'receiving') return rejected('not_in_stock_yet', { code, document: e.document });
  if (st.state === 'picking') return rejected('on_other_document', { code, document: e.document, state: st.state });
  if (st.state === 'locked') return rejected('locked', { code });
  if (st.state === 'scrapped') return rejected('scrapped', { code, document: e.document });

  const expiry = st.expiry ?? pack.expiry;
  if (expiry && expiry < s.today) return rejected('expired', { code, expiry });
  if (pack.product?.blocked) return rejected('product_blocked', { code, product: pack.product.name });

  const counts = pack.pack ? await repos.packs.subtreeCounts(trx, code) : NO_CHILDREN;
  const units = Math.max(1, counts.units);
  const lines = await repos.documents.productLines(trx, document.id);
  if (lines.length > 0) {
    const line = lines.find((l) => l.productId === pack.product?.id);
    if (!line) return rejected('not_on_pick_list', { code, product: pack.product?.name });
    const done = await repos.reconciliation.productUnits(trx, s.actor.unitId, document.id, line.productId, line.batch);
    if (done + units > line.quantity) return rejected('over_pick', { code, product: pack.product?.name, count: units });
  } else if (document.hasExpected && (await repos.documents.expectedUnder(trx, document.id, code)) === 0) {
    return rejected('not_on_pick_list', { code, product: pack.product?.name });
  }

  if (pack.pack) {
    const b = await repos.codeStates.subtreeBlockers(trx, s.actor.unitId, code, 'pick', document.id);
    if (b.count > 0) return rejected('children_unavailable', { code, count: b.count, codes: b.sample.map((x) => x.code), state: b.sample[0]?.state });
  }
  return moveOutcome(s, repos, 'pick', 'picking', false, counts);
}

const NO_CHILDREN = { codes: 0, units: 0 };

async function moveOutcome(s: MovementScan, repos: DockRepos, kind: 'receive' | 'pick', toState: 'receiving' | 'picking', unexpected: boolean, known?: { codes: number; units: number }): Promise<DockOutcome> {
  const { pack, document } = s;
  const counts = known ?? (pack.pack ? await repos.packs.subtreeCounts(s.trx, pack.code) : NO_CHILDREN);
  const units = pack.level === 1 ? 1 : counts.units;
  // Shipping one box out of a stored case breaks the case (拆零): recorded as an unpack event.
  const parent = kind === 'pick' ? pack.pack?.parentCode ?? null : null;
  const outcome: DockOutcome = {
    decision: 'accepted',
    reasonCode: null,
    reason: null,
    effect: {
      action: kind,
      units,
      codes: counts.codes + 1,
      documentId: document.id,
      ...(unexpected ? { unexpected: true } : {}),
      ...(parent ? { parent, warnings: [{ 'zh-CN': `已从箱 ${parent} 中拆零出库`, en: `Taken out of case ${parent} (split shipment)` }] } : {}),
    },
    apply: async (trx, scanId) => {
      const movementId = await repos.movements.append(trx, { unitId: s.actor.unitId, kind, documentId: document.id, scanId, stationId: s.stationId, operatorId: s.actor.operatorId, at: s.at });
      await repos.movements.moveSubtree(trx, movementId, s.actor.unitId, { code: pack.code, level: pack.level, productId: pack.product?.id ?? null, batch: pack.batch, expiry: pack.expiry }, toState, document.id, s.at);
      if (parent) {
        await repos.packs.setParent(trx, [pack.code], null, s.at);
        await repos.packs.appendEvents(trx, [{ kind: 'unpack', code: pack.code, parentCode: parent, scanId, stationId: s.stationId, operatorId: s.actor.operatorId, unitId: s.actor.unitId, reason: '出库拆零', at: s.at }]);
      }
    },
  };
  return outcome;
}
