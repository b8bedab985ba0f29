import type { Knex } from 'knex';
import type { CodeView } from '../../contract/dock.js';
import { AppError } from '../app-error.js';
import type { ScanActor } from '../scan.service.js';
import type { DockRepos } from './repos.js';
import { CodeCardRepository } from '../../../db/repositories/code-card.repository.js';
import { toCodeView } from './code-view.js';

/** "Where has this box been": a code's state, three codes and journal at one unit. */
export class CodesService {
  private readonly cards = new CodeCardRepository();

  constructor(
    private readonly knex: Knex,
    private readonly repos: DockRepos,
  ) {}

  async view(unitId: number, code: string): Promise<CodeView> {
    const [card, holds] = await Promise.all([this.cards.card(this.knex, unitId, code), this.cards.holds(this.knex, code)]);
    return toCodeView(code, card, holds);
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
