import type { Knex } from 'knex';
import type { CodeView } from '../../contract/dock.js';
import { AppError } from '../app-error.js';
import type { ScanActor } from '../scan.service.js';
import type { DockRepos } from './repos.js';

/** "Where has this box been": a code's state, three codes and journal at one unit. */
export class CodesService {
  constructor(
    private readonly knex: Knex,
    private readonly repos: DockRepos,
  ) {}

  async view(unitId: number, code: string): Promise<CodeView> {
    const st = await this.repos.codeStates.lookup(this.knex, unitId, code);
    const pack = await this.repos.packs.get(this.knex, code);
    if (!st && !pack) throw new AppError('CODE_NOT_FOUND', 404);
    const productId = st?.productId ?? pack?.productId ?? null;
    const level = st?.level ?? pack?.level ?? null;
    const product = productId !== null ? await this.repos.products.get(this.knex, productId) : undefined;
    const doc = st?.documentId != null ? await this.repos.documents.get(this.knex, st.documentId) : undefined;
    const counts = pack ? await this.repos.packs.subtreeCounts(this.knex, code) : { codes: 0, units: 0 };
    const children = pack ? (await this.repos.packs.children(this.knex, code)).length : 0;
    return {
      code,
      state: st?.state ?? 'not_seen',
      level,
      product: product
        ? { id: product.id, name: product.name, nhsaCode: product.nhsaCode, commodityCode: level !== null ? await this.repos.productCodes.gtinOf(this.knex, product.id, level) : null }
        : null,
      batch: st?.batch ?? pack?.batch ?? null,
      expiry: st?.expiry ?? pack?.expiry ?? null,
      document: doc ? { id: doc.id, number: doc.number, direction: doc.direction } : null,
      parent: pack?.parentCode ?? null,
      children,
      units: level === 1 ? 1 : counts.units,
      updatedAt: st?.updatedAt ?? null,
    };
  }

  /**
   * Recall or quarantine (锁定): an in-stock code (a case with everything in it) can no longer be
   * shipped until unlocked. Unlocking compensates the lock, so each code returns exactly where it was.
   */
  async lock(actor: ScanActor, code: string, reason: string): Promise<CodeView> {
    await this.knex.transaction(async (trx) => {
      const st = await this.repos.codeStates.lookup(trx, actor.unitId, code);
      if (!st) throw new AppError('CODE_NOT_FOUND', 404);
      if (st.state !== 'in_stock') throw new AppError('CODE_NOT_IN_STOCK', 409);
      const at = Date.now();
      const id = await this.repos.movements.append(trx, { unitId: actor.unitId, kind: 'lock', documentId: null, scanId: null, stationId: null, operatorId: actor.operatorId, reason, at });
      await this.repos.movements.moveSubtree(trx, id, actor.unitId, { code, level: st.level ?? 1, productId: st.productId, batch: st.batch, expiry: st.expiry }, 'locked', st.documentId, at);
    });
    return this.view(actor.unitId, code);
  }

  async unlock(actor: ScanActor, code: string, reason: string): Promise<CodeView> {
    await this.knex.transaction(async (trx) => {
      const lockId = await this.repos.movements.lastOf(trx, actor.unitId, code, 'lock');
      if (lockId === undefined) throw new AppError('CODE_NOT_LOCKED', 409);
      const at = Date.now();
      const id = await this.repos.movements.append(trx, { unitId: actor.unitId, kind: 'unlock', documentId: null, scanId: null, stationId: null, operatorId: actor.operatorId, compensates: lockId, reason, at });
      await this.repos.movements.compensate(trx, id, actor.unitId, lockId, at);
    });
    return this.view(actor.unitId, code);
  }
}
