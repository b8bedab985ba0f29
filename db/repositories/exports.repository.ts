import { insertedId, rawRows, type Queryable } from './tx.js';

type Raw = Record<string, unknown>;

export interface ExportRow {
  id: number;
  unitId: number;
  operatorId: number | null;
  operatorName: string | null;
  kind: string;
  format: string;
  query: string;
  status: string;
  total: number;
  done: number;
  fileName: string | null;
  fileSize: number | null;
  encrypted: boolean;
  sourceExportId: number | null;
  error: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  expiresAt: number | null;
}

const n = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

const toRow = (r: Raw): ExportRow => ({
  id: Number(r.id),
  unitId: Number(r.unit_id),
  operatorId: n(r.operator_id),
  operatorName: (r.operator_name as string | null) ?? null,
  kind: String(r.kind),
  format: String(r.format),
  query: String(r.query),
  status: String(r.status),
  total: Number(r.total),
  done: Number(r.done),
  fileName: (r.file_name as string | null) ?? null,
  fileSize: n(r.file_size),
  encrypted: Boolean(r.encrypted),
  sourceExportId: n(r.source_export_id),
  error: (r.error as string | null) ?? null,
  createdAt: Number(r.created_at),
  startedAt: n(r.started_at),
  finishedAt: n(r.finished_at),
  expiresAt: n(r.expires_at),
});

/** One code of an export page with what the file says about it. */
export interface ExportCodeRow {
  seq: number;
  code: string;
  level: number | null;
  state: string | null;
  productName: string | null;
  nhsaCode: string | null;
  batch: string | null;
  expiry: string | null;
  parentCode: string | null;
}

/** One node (event) of an exported code: a movement or a packing change. */
export interface ExportEventRow {
  seq: number;
  code: string;
  at: number;
  kind: string;
  fromState: string | null;
  toState: string | null;
  documentNumber: string | null;
  counterpartyName: string | null;
  counterpartyUscc: string | null;
  parentCode: string | null;
  operatorName: string | null;
  stationName: string | null;
  reason: string | null;
}

const SELECT_EXPORT = `SELECT e.*, o.display_name AS operator_name FROM exports e LEFT JOIN operators o ON o.id = e.operator_id`;

/** Export jobs and the frozen code lists they write from. */
export class ExportsRepository {
  async create(q: Queryable, e: { unitId: number; operatorId: number | null; format: string; query: string; sourceExportId: number | null; at: number }): Promise<number> {
    return insertedId(
      await q('exports')
        .insert({ unit_id: e.unitId, operator_id: e.operatorId, kind: 'codes', format: e.format, query: e.query, status: 'queued', source_export_id: e.sourceExportId, created_at: e.at })
        .returning('id'),
    );
  }

  async get(q: Queryable, id: number): Promise<ExportRow | undefined> {
    const [r] = rawRows<Raw>(await q.raw(`${SELECT_EXPORT} WHERE e.id = ?`, [id]));
    return r ? toRow(r) : undefined;
  }

  async list(q: Queryable, unitId: number, limit: number): Promise<ExportRow[]> {
    return rawRows<Raw>(await q.raw(`${SELECT_EXPORT} WHERE e.unit_id = ? ORDER BY e.id DESC LIMIT ?`, [unitId, limit])).map(toRow);
  }

  /** The oldest waiting job, marked running in the same statement group (one runner per process). */
  async claimNext(q: Queryable, at: number): Promise<ExportRow | undefined> {
    const [r] = rawRows<Raw>(await q.raw(`SELECT id FROM exports WHERE status = 'queued' ORDER BY id LIMIT 1`));
    if (!r) return undefined;
    const changed = await q('exports').where({ id: r.id, status: 'queued' }).update({ status: 'running', started_at: at, done: 0 });
    return changed ? this.get(q, Number(r.id)) : undefined;
  }

  /** A job the process was writing when it stopped starts over: its file was never finished. */
  async requeueRunning(q: Queryable): Promise<number> {
    return q('exports').where({ status: 'running' }).update({ status: 'queued', done: 0 });
  }

  async setTotal(q: Queryable, id: number, total: number): Promise<void> {
    await q('exports').where({ id }).update({ total });
  }

  async progress(q: Queryable, id: number, done: number): Promise<void> {
    await q('exports').where({ id }).update({ done });
  }

  async finish(q: Queryable, id: number, f: { fileName: string; fileSize: number; encrypted: boolean; at: number; expiresAt: number }): Promise<void> {
    await q('exports').where({ id }).update({ status: 'done', file_name: f.fileName, file_size: f.fileSize, encrypted: f.encrypted, finished_at: f.at, expires_at: f.expiresAt });
  }

  async fail(q: Queryable, id: number, error: string, at: number): Promise<void> {
    await q('exports').where({ id }).update({ status: 'failed', error, finished_at: at });
  }

  /** Done jobs past retention: their files go, the job (who asked what, when) stays as 'expired'. */
  async expired(q: Queryable, now: number): Promise<ExportRow[]> {
    return rawRows<Raw>(await q.raw(`${SELECT_EXPORT} WHERE e.status = 'done' AND e.expires_at <= ?`, [now])).map(toRow);
  }

  async markExpired(q: Queryable, ids: number[]): Promise<void> {
    if (ids.length) await q('exports').whereIn('id', ids).update({ status: 'expired' });
  }

  async dropCodes(q: Queryable, ids: number[]): Promise<void> {
    if (ids.length) await q('export_codes').whereIn('export_id', ids).delete();
  }

  /** A page of the frozen list (seq in (after, after + size]) with each code's state and product. */
  async codesPage(q: Queryable, exportId: number, unitId: number, after: number, size: number): Promise<ExportCodeRow[]> {
    const rows = rawRows<Raw>(
      await q.raw(
        `SELECT ec.seq, ec.code, COALESCE(cs.level, pk.level) AS level, cs.state, p.name AS product_name, p.nhsa_code,
                COALESCE(cs.batch, pk.batch) AS batch, COALESCE(cs.expiry, pk.expiry) AS expiry, pk.parent_code
         FROM export_codes ec LEFT JOIN code_states cs ON cs.unit_id = ? AND cs.code = ec.code LEFT JOIN packs pk ON pk.code = ec.code
         LEFT JOIN products p ON p.id = COALESCE(cs.product_id, pk.product_id)
         WHERE ec.export_id = ? AND ec.seq > ? AND ec.seq <= ? ORDER BY ec.seq`,
        [unitId, exportId, after, after + size],
      ),
    );
    return rows.map((r) => ({
      seq: Number(r.seq),
      code: String(r.code),
      level: n(r.level),
      state: (r.state as string | null) ?? null,
      productName: (r.product_name as string | null) ?? null,
      nhsaCode: (r.nhsa_code as string | null) ?? null,
      batch: (r.batch as string | null) ?? null,
      expiry: (r.expiry as string | null) ?? null,
      parentCode: (r.parent_code as string | null) ?? null,
    }));
  }

  /** Every movement and packing change of the page's codes, in two statements, oldest first per code. */
  async eventsPage(q: Queryable, exportId: number, unitId: number, after: number, size: number): Promise<ExportEventRow[]> {
    const rows = rawRows<Raw>(
      await q.raw(
        `SELECT ec.seq, ec.code, m.at, m.id AS ord, m.kind, mc.from_state, mc.to_state, d.number AS document_number, c.name AS cp_name,
                c.uscc AS cp_uscc, NULL AS parent_code, o.display_name AS operator_name, s.name AS station_name, m.reason
         FROM export_codes ec CROSS JOIN movement_codes mc CROSS JOIN movements m
         LEFT JOIN documents d ON d.id = m.document_id LEFT JOIN counterparties c ON c.id = d.counterparty_id
         LEFT JOIN operators o ON o.id = m.operator_id LEFT JOIN stations s ON s.id = m.station_id
         WHERE ec.export_id = ? AND ec.seq > ? AND ec.seq <= ? AND mc.code = ec.code AND m.id = mc.movement_id AND m.unit_id = ?
         UNION ALL
         SELECT ec.seq, ec.code, pe.at, pe.id AS ord, pe.kind, NULL, NULL, NULL, NULL, NULL, pe.parent_code, o.display_name, s.name, pe.reason
         FROM export_codes ec CROSS JOIN pack_events pe
         LEFT JOIN operators o ON o.id = pe.operator_id LEFT JOIN stations s ON s.id = pe.station_id
         WHERE ec.export_id = ? AND ec.seq > ? AND ec.seq <= ? AND pe.code = ec.code AND (pe.unit_id = ? OR pe.unit_id IS NULL)
         ORDER BY 1, 3, 4`,
        [exportId, after, after + size, unitId, exportId, after, after + size, unitId],
      ),
    );
    return rows.map((r) => ({
      seq: Number(r.seq),
      code: String(r.code),
      at: Number(r.at),
      kind: String(r.kind),
      fromState: (r.from_state as string | null) ?? null,
      toState: (r.to_state as string | null) ?? null,
      documentNumber: (r.document_number as string | null) ?? null,
      counterpartyName: (r.cp_name as string | null) ?? null,
      counterpartyUscc: (r.cp_uscc as string | null) ?? null,
      parentCode: (r.parent_code as string | null) ?? null,
      operatorName: (r.operator_name as string | null) ?? null,
      stationName: (r.station_name as string | null) ?? null,
      reason: (r.reason as string | null) ?? null,
    }));
  }
}
