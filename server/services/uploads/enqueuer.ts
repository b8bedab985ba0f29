import type { Knex } from 'knex';
import { OutboxEnqueueRepository, type OperationTarget } from '../../../db/repositories/outbox-enqueue.repository.js';
import type { UnitTypeRow } from '../../../db/repositories/units.repository.js';
import type { NhsaProfile, Trigger } from '../../platforms/nhsa/profile.schema.js';

/**
 * Decides which operations an event owes the platform (the profile's roles: the guide's FAQ 1–3 —
 * a distributor uploads circulation at inbound and outbound; a manufacturer product information,
 * trace codes with hierarchy, and shipping; consumable makers also distribution) and writes them
 * in the caller's transaction. After commit the caller calls `wake()` so the worker starts at once.
 */
export class OutboxEnqueuer {
  private readonly repo = new OutboxEnqueueRepository();
  private wakeListener: () => void = () => {};

  constructor(private readonly profile: () => NhsaProfile) {}

  targets(unitType: UnitTypeRow, trigger: Trigger): OperationTarget[] {
    const p = this.profile();
    return p.roles[unitType][trigger].map((operation) => ({ operation, kinds: p.operations[operation].appliesTo }));
  }

  async documentCompleted(trx: Knex.Transaction, d: { id: number; direction: 'in' | 'out' }, unitType: UnitTypeRow, at: number): Promise<void> {
    const targets = this.targets(unitType, d.direction === 'in' ? 'inbound' : 'outbound');
    if (targets.length) await this.repo.document(trx, d.id, targets, at);
  }

  /** A product created or changed (by hand or by an import) for a unit that uploads product information. */
  async productsChanged(trx: Knex.Transaction, unitId: number, products: { ids: readonly number[] } | { updatedAt: number }, at: number): Promise<void> {
    const unit = (await trx('units').where({ id: unitId }).first('type')) as { type: UnitTypeRow } | undefined;
    const targets = unit ? this.targets(unit.type, 'product') : [];
    if (!targets.length) return;
    const ids = 'ids' in products ? products.ids : ((await trx('products').where({ updated_at: products.updatedAt }).pluck('id')) as number[]);
    await this.repo.products(trx, unitId, ids, targets, at);
  }

  /** A relation file merged for a unit that uploads trace codes with their hierarchy. */
  async hierarchyImported(trx: Knex.Transaction, unitId: number, importId: number, at: number): Promise<void> {
    const unit = (await trx('units').where({ id: unitId }).first('type')) as { type: UnitTypeRow } | undefined;
    const targets = unit ? this.targets(unit.type, 'hierarchy') : [];
    if (targets.length) await this.repo.hierarchy(trx, unitId, importId, targets, at);
  }

  onWake(listener: () => void): void {
    this.wakeListener = listener;
  }

  wake(): void {
    this.wakeListener();
  }
}
