import type { Knex } from 'knex';
import { OutboxRepository } from '../../../db/repositories/outbox.repository.js';
import { withWriteTx } from '../../../db/repositories/tx.js';
import type { GansuSaleRow } from '../../platforms/gansu/rows.js';
import type { FieldCipher } from '../../security/field-crypto.js';
import { AppError } from '../app-error.js';
import { GANSU_PAYLOAD_CONTEXT } from '../retail/gansu-rows.js';

type Raw = Record<string, unknown>;

/**
 * Fix and resend (issue 7: 452/454 → "mark the named rows rejected, fix-and-resend"). A refused row
 * was frozen when its sale completed; what a manager can fix afterwards is the master data — the
 * drug's name and approval number, the store's name and USCC. Resending rebuilds those fields of
 * the row from the master data as it is now (the buyer, quantity and sale time stay what the sale
 * recorded) and queues the row again, in one transaction with its ledger event.
 */
export class GansuResend {
  private readonly outbox = new OutboxRepository();

  constructor(
    private readonly knex: Knex,
    private readonly cipher: FieldCipher,
    private readonly wake: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  async resend(unitId: number, operatorId: number, recordId: number, reason: string | undefined): Promise<{ recordId: number; changed: string[] }> {
    const at = this.now();
    const changed = await withWriteTx(this.knex, async (trx) => {
      const r = (await trx('upload_records').where({ id: recordId, unit_id: unitId, platform: 'gansu' }).first('id', 'record_key', 'payload', 'state')) as Raw | undefined;
      if (!r) throw new AppError('UPLOAD_NOT_FOUND', 404);
      if (r.state !== 'rejected') throw new AppError('UPLOAD_STATE_CONFLICT', 409);
      const row = JSON.parse(this.cipher.decrypt(String(r.payload), GANSU_PAYLOAD_CONTEXT)) as GansuSaleRow;
      const fresh = await currentFields(trx, unitId, String(r.record_key));
      const diff = (Object.keys(fresh) as Array<keyof typeof fresh>).filter((f) => fresh[f] !== undefined && fresh[f] !== row[f]);
      const next = { ...row, ...Object.fromEntries(diff.map((f) => [f, fresh[f]])) };
      await trx('upload_records').where({ id: recordId }).update({ payload: this.cipher.encrypt(JSON.stringify(next), GANSU_PAYLOAD_CONTEXT) });
      const note = [diff.length ? `按当前基础数据更新：${diff.join(', ')}` : '基础数据未变，原样重发', reason].filter(Boolean).join('；');
      const moved = await this.outbox.transition(trx, [recordId], ['rejected'], 'pending', { batchId: null, event: 'retried', message: note, operatorId, at, nextAttemptAt: at });
      if (moved === 0) throw new AppError('UPLOAD_STATE_CONFLICT', 409);
      return diff;
    });
    this.wake();
    return { recordId, changed };
  }
}

/** The fields of a row that come from master data, as the master data says now. */
async function currentFields(trx: Knex.Transaction, unitId: number, recordKey: string): Promise<Partial<Pick<GansuSaleRow, 'drugName' | 'approvalNo' | 'drugstoreName' | 'drugstoreTyshxydm'>>> {
  const productId = Number(/^sale:\d+:(\d+)$/.exec(recordKey)?.[1] ?? NaN);
  const p = Number.isInteger(productId) ? ((await trx('products').where({ id: productId }).first('name', 'generic_name', 'approval_no')) as Raw | undefined) : undefined;
  const u = (await trx('units').where({ id: unitId }).first('name', 'uscc')) as Raw | undefined;
  return {
    ...(p ? { drugName: String(p.generic_name ?? p.name), approvalNo: String(p.approval_no ?? '') } : {}),
    ...(u ? { drugstoreName: String(u.name), drugstoreTyshxydm: String(u.uscc) } : {}),
  };
}
