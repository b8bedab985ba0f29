import { insertedId, type Queryable } from './tx.js';
import { subtreeCte } from './packs.repository.js';
import type { CodeState } from './code-states.repository.js';

export type MovementKind = 'receive' | 'pick' | 'complete' | 'cancel' | 'undo' | 'lock' | 'unlock' | 'return' | 'scrap' | 'sale';

export interface MovementInsert {
  unitId: number;
  kind: MovementKind;
  documentId: number | null;
  scanId: number | null;
  stationId: number | null;
  operatorId: number | null;
  compensates?: number | null;
  reason?: string | null;
  at: number;
}

/** What a scanned root code is, for the codes no relation file described (GS1 units, loose packs). */
export interface RootAttributes {
  code: string;
  level: number;
  productId: number | null;
  batch: string | null;
  expiry: string | null;
}

// Product of a stored pack, else the three-code mapping of its 7-digit prefix (DOMAIN.md §5).
const PRODUCT_OF = (alias: string, pack: string) =>
  `COALESCE(${pack}.product_id, (SELECT pc.product_id FROM product_codes pc WHERE pc.kind = 'prefix' AND pc.status = 'active' AND pc.value = substr(${alias}.code, 1, 7)))`;

/**
 * The movement journal and the code-state projection it drives. Every statement is set-based: a
 * case scan moves all its codes in a handful of statements, whatever their number.
 */
export class MovementsRepository {
  async append(q: Queryable, m: MovementInsert): Promise<number> {
    const id = insertedId(await q('movements')
      .insert({
        unit_id: m.unitId,
        kind: m.kind,
        document_id: m.documentId,
        scan_id: m.scanId,
        station_id: m.stationId,
        operator_id: m.operatorId,
        compensates: m.compensates ?? null,
        reason: m.reason ?? null,
        at: m.at,
      })
      .returning('id'));
    return id;
  }

  /**
   * Moves `root` and everything packed under it to `toState` for `documentId`: journal rows first
   * (with the state each code came from, so undo can restore it), then the projection.
   */
  async moveSubtree(q: Queryable, movementId: number, unitId: number, root: RootAttributes, toState: CodeState, documentId: number | null, at: number): Promise<number> {
    const inPacks = await q('packs').where({ code: root.code }).first('code');
    // A root no relation file knows is a tree of one.
    const tree = inPacks ? subtreeCte(root.code) : { sql: 'WITH sub(code, level) AS (SELECT CAST(? AS TEXT), CAST(? AS INTEGER))', bindings: [root.code, root.level] };
    await q.raw(
      `INSERT INTO movement_codes (movement_id, code, level, from_state, to_state, from_document_id, to_document_id)
       ${tree.sql}
       SELECT ?, sub.code, sub.level, COALESCE(cs.state, 'not_seen'), ?, cs.document_id, ?
       FROM sub LEFT JOIN code_states cs ON cs.unit_id = ? AND cs.code = sub.code`,
      [...tree.bindings, movementId, toState, documentId, unitId],
    );
    await this.project(q, movementId, unitId, root, at);
    const [n] = (await q('movement_codes').where({ movement_id: movementId }).count({ n: '*' })) as Array<{ n: number | string }>;
    return Number(n?.n ?? 0);
  }

  /** Moves every code a document holds in `fromState` to `toState` (completion, cancellation). */
  async moveDocument(q: Queryable, movementId: number, unitId: number, documentId: number, fromState: CodeState, toState: CodeState | 'previous', at: number): Promise<number> {
    if (toState === 'previous') return this.restore(q, movementId, unitId, { documentId, fromState }, at);
    await q.raw(
      `INSERT INTO movement_codes (movement_id, code, level, from_state, to_state, from_document_id, to_document_id)
       SELECT ?, code, level, state, ?, document_id, document_id FROM code_states WHERE unit_id = ? AND document_id = ? AND state = ?`,
      [movementId, toState, unitId, documentId, fromState],
    );
    return q('code_states')
      .where({ unit_id: unitId, document_id: documentId, state: fromState })
      .update({ state: toState, movement_id: movementId, updated_at: at });
  }

  /**
   * Undo: every code of movement `compensated` goes back to the state (and document) it came from;
   * codes that were never seen before leave the projection. The journal keeps both movements.
   */
  async compensate(q: Queryable, movementId: number, unitId: number, compensated: number, at: number): Promise<number> {
    return this.restore(q, movementId, unitId, { movementId: compensated }, at);
  }

  /** Codes of `movementId` whose current state came from a later movement (undo would rewrite newer facts). */
  async changedSince(q: Queryable, unitId: number, movementId: number): Promise<string[]> {
    const rows = (await q('movement_codes as mc')
      .join('code_states as cs', function () {
        this.on('cs.code', 'mc.code').andOn('cs.unit_id', q.raw('?', [unitId]));
      })
      .where('mc.movement_id', movementId)
      .whereNot('cs.movement_id', movementId)
      .limit(5)
      .select('mc.code')) as Array<{ code: string }>;
    return rows.map((r) => r.code);
  }

  /** The latest movement of `kind` that put `code` where it is (for unlock). */
  async lastOf(q: Queryable, unitId: number, code: string, kind: MovementKind): Promise<number | undefined> {
    const r = (await q('code_states as cs').join('movements as m', 'm.id', 'cs.movement_id').where({ 'cs.unit_id': unitId, 'cs.code': code, 'm.kind': kind }).first('m.id')) as { id: number } | undefined;
    return r ? Number(r.id) : undefined;
  }

  async ofScan(q: Queryable, scanId: number): Promise<{ id: number; kind: MovementKind; documentId: number | null; unitId: number } | undefined> {
    const r = (await q('movements').where({ scan_id: scanId }).whereNot({ kind: 'undo' }).first()) as Record<string, unknown> | undefined;
    return r ? { id: Number(r.id), kind: r.kind as MovementKind, documentId: r.document_id === null ? null : Number(r.document_id), unitId: Number(r.unit_id) } : undefined;
  }

  private async restore(q: Queryable, movementId: number, unitId: number, scope: { movementId: number } | { documentId: number; fromState: CodeState }, at: number): Promise<number> {
    // Journal rows: reversed copies of the compensated movement, or the document's held codes.
    if ('movementId' in scope) {
      await q.raw(
        `INSERT INTO movement_codes (movement_id, code, level, from_state, to_state, from_document_id, to_document_id)
         SELECT ?, code, level, to_state, from_state, to_document_id, from_document_id FROM movement_codes WHERE movement_id = ?`,
        [movementId, scope.movementId],
      );
    } else {
      // Cancelling: each held code returns to what it was before the movement that put it here.
      await q.raw(
        `INSERT INTO movement_codes (movement_id, code, level, from_state, to_state, from_document_id, to_document_id)
         SELECT ?, cs.code, cs.level, cs.state, mc.from_state, cs.document_id, mc.from_document_id
         FROM code_states cs JOIN movement_codes mc ON mc.movement_id = cs.movement_id AND mc.code = cs.code
         WHERE cs.unit_id = ? AND cs.document_id = ? AND cs.state = ?`,
        [movementId, unitId, scope.documentId, scope.fromState],
      );
    }
    await q.raw(
      `DELETE FROM code_states WHERE unit_id = ? AND code IN (SELECT code FROM movement_codes WHERE movement_id = ? AND to_state = 'not_seen')`,
      [unitId, movementId],
    );
    await q.raw(
      `UPDATE code_states SET state = mc.to_state, document_id = mc.to_document_id, movement_id = ?, updated_at = ?
       FROM movement_codes mc WHERE mc.movement_id = ? AND mc.code = code_states.code AND code_states.unit_id = ? AND mc.to_state <> 'not_seen'`,
      [movementId, at, movementId, unitId],
    );
    const [n] = (await q('movement_codes').where({ movement_id: movementId }).count({ n: '*' })) as Array<{ n: number | string }>;
    return Number(n?.n ?? 0);
  }

  /** Writes the projection rows of a forward movement from its journal rows. */
  private async project(q: Queryable, movementId: number, unitId: number, root: RootAttributes, at: number): Promise<void> {
    await q.raw(
      `INSERT INTO code_states (unit_id, code, state, level, product_id, batch, expiry, document_id, movement_id, updated_at)
       SELECT ?, mc.code, mc.to_state, COALESCE(mc.level, p.level),
              CASE WHEN mc.code = ? THEN COALESCE(?, ${PRODUCT_OF('mc', 'p')}) ELSE ${PRODUCT_OF('mc', 'p')} END,
              CASE WHEN mc.code = ? THEN COALESCE(p.batch, ?) ELSE p.batch END,
              CASE WHEN mc.code = ? THEN COALESCE(p.expiry, ?) ELSE p.expiry END,
              mc.to_document_id, mc.movement_id, ?
       FROM movement_codes mc LEFT JOIN packs p ON p.code = mc.code
       WHERE mc.movement_id = ?
       ON CONFLICT (unit_id, code) DO UPDATE SET state = excluded.state, document_id = excluded.document_id,
         movement_id = excluded.movement_id, updated_at = excluded.updated_at,
         product_id = COALESCE(excluded.product_id, code_states.product_id),
         batch = COALESCE(excluded.batch, code_states.batch), expiry = COALESCE(excluded.expiry, code_states.expiry)`,
      [unitId, root.code, root.productId, root.code, root.batch, root.code, root.expiry, at, movementId],
    );
  }
}

/** The scan behind a movement (the first scan that put a code where it is). */
export async function scanOfMovement(q: Queryable, movementId: number): Promise<{ scanId: number | null; kind: MovementKind; at: number } | undefined> {
  const r = (await q('movements').where({ id: movementId }).first('scan_id', 'kind', 'at')) as { scan_id: number | null; kind: string; at: number | string } | undefined;
  return r ? { scanId: r.scan_id === null ? null : Number(r.scan_id), kind: r.kind as MovementKind, at: Number(r.at) } : undefined;
}
