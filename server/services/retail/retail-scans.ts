import type { Knex } from 'knex';
import { SalesRepository } from '../../../db/repositories/sales.repository.js';
import type { ScanEventRow } from '../../../db/types.js';
import type { DecodedFields } from '../../contract/views.js';
import type { DockScanInput } from '../dock/dock-scans.js';
import type { DockOutcome } from '../dock/outcome.js';
import type { DockRepos } from '../dock/repos.js';
import { LocalizedAppError } from '../localized-error.js';
import type { DockScanHook, ScanActor } from '../scan.service.js';
import { applySaleCode, commodityKey, decodedSaleScan, planSaleCode } from './sale-code.js';

/**
 * A scanner bound to a retail station feeds that station's open sale, inside the scan's own
 * transaction: the scan event and the sale line commit together or not at all. With no open sale
 * the first accepted pack opens one (as the counter does on its first scan); a refused pack opens
 * nothing. Refusals are the counter's own (sale-code.ts), recorded as the scan's reason.
 */
export class RetailScanDecider {
  private readonly sales = new SalesRepository();

  constructor(private readonly dock: DockRepos) {}

  async decide(trx: Knex.Transaction, s: DockScanInput): Promise<DockOutcome | undefined> {
    if (s.stationKind !== 'retail') return undefined;
    const c = s.classification;
    // Not a code at all (bad check digit, garbage): the decoder's own reason says it best.
    if (!c.ok) return undefined;
    const open = await this.sales.openAt(trx, s.actor.unitId, s.stationId);
    const plan = await planSaleCode(trx, { dock: this.dock, sales: this.sales }, s.actor.unitId, open?.id ?? null, decodedSaleScan(c), s.at);
    if (!plan.ok) {
      return {
        // A second beep on the same pack is a duplicate, not an error the worker must look into.
        decision: plan.refusal.reason === 'already_on_sale' ? 'duplicate' : 'rejected',
        reasonCode: `sale_${plan.refusal.reason}`,
        reason: plan.refusal.message,
        codes: [plan.code],
      };
    }
    return {
      decision: 'accepted',
      reasonCode: null,
      reason: null,
      apply: async (tx) => {
        const saleId = open?.id ?? (await this.sales.create(tx, { unitId: s.actor.unitId, stationId: s.stationId, operatorId: s.actor.operatorId, at: s.at })).id;
        await applySaleCode(tx, this.sales, saleId, plan);
      },
    };
  }

  /**
   * Takes the scanned pack off the station's open sale again (one pack of a commodity line). A
   * pack whose sale was completed or cancelled meanwhile cannot be taken back this way.
   */
  async undo(trx: Knex.Transaction, scan: ScanEventRow, actor: ScanActor): Promise<void> {
    const key = saleKeyOf(scan);
    const open = await this.sales.openAt(trx, scan.unitId ?? actor.unitId, scan.stationId);
    const line = open && key ? (await this.sales.lines(trx, open.id)).find((l) => l.code === key) : undefined;
    if (!open || !line) {
      throw new LocalizedAppError('SCAN_NOT_UNDOABLE', 409, {
        'zh-CN': '这盒药已不在本柜台当前的销售单上（销售单已完成、作废或已移除该药品）',
        en: 'This pack is no longer on the counter’s open sale (the sale was completed or cancelled, or the line was removed)',
      });
    }
    if (line.packs > 1) await trx('sale_lines').where({ id: line.id }).decrement('packs', 1);
    else await this.sales.removeLine(trx, open.id, line.id);
  }
}

/** The sale line a recorded scan went to (same key as decodedSaleScan gave it). */
function saleKeyOf(scan: ScanEventRow): string | null {
  const gtin = (scan.detail?.fields as DecodedFields | undefined)?.gtin;
  if (scan.kind === 'commodity' && gtin) return commodityKey(gtin);
  return scan.code;
}

/**
 * The scan service takes one hook: retail stations go to the sale, every other kind to the dock
 * rules. An undo goes where its scan was decided.
 */
export function withRetailScans(dock: DockScanHook, retail: RetailScanDecider): DockScanHook {
  return {
    decide: (trx, s) => (s.stationKind === 'retail' ? retail.decide(trx, s) : dock.decide(trx, s)),
    async undo(trx, scan, actor, reason) {
      const station = (await trx('stations').where({ id: scan.stationId }).first('kind')) as { kind: string } | undefined;
      if (station?.kind === 'retail') await retail.undo(trx, scan, actor);
      else await dock.undo(trx, scan, actor, reason);
    },
  };
}
