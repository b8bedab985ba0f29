import type { Knex } from 'knex';
import type { ProductCodeRow, ProductCodeStatus } from '../../../db/repositories/product-codes.repository.js';
import { isUniqueViolation } from '../../../db/repositories/tx.js';
import type { MappingView } from '../../contract/dock.js';
import { AppError } from '../app-error.js';
import type { DockRepos } from './repos.js';

const toView = (r: ProductCodeRow): MappingView => ({ ...r });

/** The learn flow's second half: a supervisor approves (or rejects) a mapping proposed at the dock. */
export class MappingsService {
  constructor(
    private readonly knex: Knex,
    private readonly repos: DockRepos,
    private readonly now: () => number = Date.now,
  ) {}

  async list(f: { status?: ProductCodeStatus; productId?: number; limit: number }): Promise<MappingView[]> {
    return (await this.repos.productCodes.list(this.knex, f)).map(toView);
  }

  async history(id: number): Promise<Array<{ action: string; operatorId: number | null; at: number; detail: string | null }>> {
    if (!(await this.repos.productCodes.get(this.knex, id))) throw new AppError('MAPPING_NOT_FOUND', 404);
    return this.repos.productCodes.history(this.knex, id);
  }

  async decide(operatorId: number, id: number, approve: boolean, note?: string): Promise<MappingView> {
    await this.knex.transaction(async (trx) => {
      const m = await this.repos.productCodes.get(trx, id);
      if (!m) throw new AppError('MAPPING_NOT_FOUND', 404);
      if (m.status !== 'pending') throw new AppError('MAPPING_DECIDED', 409);
      try {
        await this.repos.productCodes.decide(trx, id, approve ? 'active' : 'rejected', operatorId, this.now(), note);
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('MAPPING_TAKEN', 409);
        throw err;
      }
    });
    return toView((await this.repos.productCodes.get(this.knex, id))!);
  }
}
