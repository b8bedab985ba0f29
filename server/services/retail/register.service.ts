import ExcelJS from 'exceljs';
import type { Knex } from 'knex';
import { withWriteTx } from '../../../db/repositories/tx.js';
import type { FieldCipher } from '../../security/field-crypto.js';
import { maskIdNumber, maskName } from '../../security/masking.js';
import { opensslEncrypt } from '../../security/openssl-enc.js';
import type { RegisterEntryView } from '../../contract/retail.js';
import { chinaDateTime, chinaDayStart, DAY_MS as DAY } from '../../domain/china-time.js';
import { AppError } from '../app-error.js';
import type { AuditService } from '../audit.service.js';
import { actorOf, type AuthService, type SessionContext } from '../auth.service.js';



/**
 * The dedicated register (专册) the notices require: drug, spec, quantity, manufacturer, batch,
 * buyer name and ID. Shown masked; the clear buyer data of one entry is for an administrator who
 * gives a reason, and every such look is written to the audit log.
 */
export class RegisterService {
  constructor(
    private readonly knex: Knex,
    private readonly cipher: FieldCipher,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
  ) {}

  /** The day's entries (China time) with their sale numbers, oldest first. */
  private async rowsOfDay(unitId: number, date: string): Promise<Array<Record<string, unknown>>> {
    const from = chinaDayStart(date);
    return (await this.knex('register_entries as e').join('sales as s', 's.id', 'e.sale_id').where('e.unit_id', unitId).where('e.at', '>=', from).where('e.at', '<', from + DAY).orderBy('e.id').select('e.*', 's.number')) as Array<Record<string, unknown>>;
  }

  private clear(r: Record<string, unknown>): { name: string | null; id: string | null } {
    return {
      name: r.buyer_name_enc ? this.cipher.decrypt(String(r.buyer_name_enc), 'register_entries.buyer_name_enc') : null,
      id: r.buyer_id_enc ? this.cipher.decrypt(String(r.buyer_id_enc), 'register_entries.buyer_id_enc') : null,
    };
  }

  async day(unitId: number, date: string): Promise<RegisterEntryView[]> {
    const rows = await this.rowsOfDay(unitId, date);
    return rows.map((r) => {
      const c = this.clear(r);
      return {
        id: Number(r.id),
        saleId: Number(r.sale_id),
        saleNumber: String(r.number),
        at: Number(r.at),
        categories: String(r.categories),
        drugName: String(r.drug_name),
        spec: (r.spec as string | null) ?? null,
        manufacturer: (r.manufacturer as string | null) ?? null,
        approvalNo: (r.approval_no as string | null) ?? null,
        batch: (r.batch as string | null) ?? null,
        quantity: Number(r.quantity),
        buyerName: c.name ? maskName(c.name) : null,
        buyerId: c.id ? maskIdNumber(c.id) : null,
      };
    });
  }

  /**
   * The day's register with the buyers in clear, for an administrator with a reason: an XLSX
   * encrypted under the password they give (OpenSSL's format), and an audit entry.
   */
  async exportClear(ctx: SessionContext, unitId: number, date: string, password: string, reason: string): Promise<Buffer> {
    await this.auth.requireAdmin(ctx);
    const rows = await this.rowsOfDay(unitId, date);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('专册');
    ws.addRow(['时间', '销售单号', '类别', '药品通用名', '规格', '数量', '生产企业', '批号', '购药人', '身份证号']);
    for (const r of rows) {
      const c = this.clear(r);
      ws.addRow([chinaDateTime(Number(r.at)), r.number, r.categories, r.drug_name, r.spec, Number(r.quantity), r.manufacturer, r.batch, c.name, c.id]);
    }
    await withWriteTx(this.knex, (trx) => this.audit.append(trx, { actor: actorOf(ctx), action: 'export.created', unitId, detail: { kind: 'retail-register-clear', date, entries: rows.length, reason, encrypted: true } }));
    return opensslEncrypt(Buffer.from(await wb.xlsx.writeBuffer()), password);
  }

  async reveal(ctx: SessionContext, unitId: number, entryId: number, reason: string): Promise<{ buyerName: string | null; buyerId: string | null }> {
    await this.auth.requireAdmin(ctx);
    const r = (await this.knex('register_entries').where({ id: entryId, unit_id: unitId }).first()) as Record<string, unknown> | undefined;
    if (!r) throw new AppError('NOT_FOUND', 404);
    await withWriteTx(this.knex, (trx) => this.audit.append(trx, { actor: actorOf(ctx), action: 'personal_data.unmasked', unitId, detail: { registerEntryId: entryId, saleId: Number(r.sale_id), reason } }));
    const c = this.clear(r);
    return { buyerName: c.name, buyerId: c.id };
  }
}
