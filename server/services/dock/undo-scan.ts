import type { Knex } from 'knex';
import type { ScanEventRow } from '../../../db/types.js';
import { AppError } from '../app-error.js';
import type { ScanActor } from '../scan.service.js';
import type { DockRepos } from './repos.js';

/**
 * Reverses what an accepted dock scan did, as compensating events in the undo's transaction:
 * its movement (stock states go back to where they were) and its pack events (a pack becomes an
 * unpack and vice versa). The journal keeps both sides.
 */
export async function undoDockScan(trx: Knex.Transaction, repos: DockRepos, scan: ScanEventRow, actor: ScanActor, reason: string): Promise<void> {
  const at = Date.now();
  const movement = await repos.movements.ofScan(trx, scan.id);
  if (movement) {
    if (movement.documentId !== null) {
      const doc = await repos.documents.get(trx, movement.documentId);
      if (doc && doc.status !== 'open') throw new AppError('DOCUMENT_CLOSED', 409);
    }
    const later = await repos.movements.changedSince(trx, movement.unitId, movement.id);
    if (later.length > 0) throw new AppError('SCAN_NOT_UNDOABLE', 409, { message: `codes moved since: ${later.join(', ')}` });
    const undoId = await repos.movements.append(trx, {
      unitId: movement.unitId,
      kind: 'undo',
      documentId: movement.documentId,
      scanId: scan.id,
      stationId: scan.stationId,
      operatorId: actor.operatorId,
      compensates: movement.id,
      reason,
      at,
    });
    await repos.movements.compensate(trx, undoId, movement.unitId, movement.id, at);
  }
  const events = await repos.packs.eventsOfScan(trx, scan.id);
  // One statement per target parent: a packed code goes loose again, an unpacked one goes back in.
  const byTarget = new Map<string | null, string[]>();
  for (const e of events) {
    const target = e.kind === 'pack' ? null : e.parentCode;
    byTarget.set(target, [...(byTarget.get(target) ?? []), e.code]);
  }
  for (const [target, codes] of byTarget) await repos.packs.setParent(trx, codes, target, at);
  await repos.packs.appendEvents(
    trx,
    events.map((e) => ({
      kind: e.kind === 'pack' ? ('unpack' as const) : ('pack' as const),
      code: e.code,
      parentCode: e.parentCode,
      scanId: scan.id,
      stationId: scan.stationId,
      operatorId: actor.operatorId,
      unitId: actor.unitId,
      compensates: e.id,
      reason,
      at,
    })),
  );
}
