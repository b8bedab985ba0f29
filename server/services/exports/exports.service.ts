import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { CodeQueryRepository } from '../../../db/repositories/code-query.repository.js';
import { ExportsRepository, type ExportRow } from '../../../db/repositories/exports.repository.js';
import { EXPORT_MAX_CODES, type CodeQuerySpec, type ExportBody, type ExportFormat, type ExportProgressView, type ExportView } from '../../contract/queries.js';
import { ERROR_MESSAGES, type ErrorCode } from '../../contract/errors.js';
import { chinaDate } from '../../domain/china-time.js';
import { AppError } from '../app-error.js';
import { toFilter } from '../supervisor/code-query.service.js';

export const EXTENSIONS: Record<ExportFormat, string> = { csv: 'csv', xlsx: 'xlsx', epcis: 'jsonld' };
export const MEDIA_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  epcis: 'application/ld+json',
};

export function toExportView(r: ExportRow): ExportView {
  const code = r.error as ErrorCode | null;
  return {
    id: r.id,
    kind: 'codes',
    format: r.format as ExportFormat,
    query: JSON.parse(r.query) as CodeQuerySpec,
    status: r.status as ExportView['status'],
    total: r.total,
    done: r.done,
    fileName: r.fileName,
    fileSize: r.fileSize,
    encrypted: r.encrypted,
    sourceExportId: r.sourceExportId,
    error: code ? { code, message: (ERROR_MESSAGES[code] ?? ERROR_MESSAGES.EXPORT_FAILED)['zh-CN'] } : null,
    operator: r.operatorId !== null ? { id: r.operatorId, name: r.operatorName ?? '' } : null,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    expiresAt: r.expiresAt,
  };
}

export const progressOf = (v: ExportView): ExportProgressView => ({ id: v.id, status: v.status, total: v.total, done: v.done, fileName: v.fileName, fileSize: v.fileSize, error: v.error, finishedAt: v.finishedAt });

/** The name a download gets: what it is, the unit's day, and the job, e.g. 追溯码导出_2026-11-22_17.xlsx. */
export const downloadName = (r: ExportRow): string => `追溯码导出_${chinaDate(r.createdAt)}_${r.id}.${EXTENSIONS[r.format as ExportFormat]}`;

/**
 * Export jobs of a unit: the request freezes the matching codes (refusing more than the portal's
 * 100 000 or none at all, with nothing left behind), the runner writes the file in the background.
 */
export class ExportsService {
  readonly repo = new ExportsRepository();
  private readonly query = new CodeQueryRepository();

  constructor(
    private readonly knex: Knex,
    readonly dir: string,
    private readonly wake: () => void,
  ) {}

  async create(unitId: number, operatorId: number | null, body: ExportBody, sourceExportId: number | null = null): Promise<ExportView> {
    const f = toFilter(body.query);
    const id = await this.knex.transaction(async (trx) => {
      const at = Date.now();
      const id = await this.repo.create(trx, { unitId, operatorId, format: body.format, query: JSON.stringify(body.query), sourceExportId, at });
      const n = await this.query.freeze(trx, id, unitId, f, body.query.sort, body.query.order === 'desc', EXPORT_MAX_CODES + 1);
      if (n > EXPORT_MAX_CODES) throw new AppError('EXPORT_TOO_LARGE', 422);
      if (n === 0) throw new AppError('EXPORT_EMPTY', 422);
      await this.repo.setTotal(trx, id, n);
      return id;
    });
    this.wake();
    return this.view(unitId, id);
  }

  /** The same question asked again now: a new job with today's answer, linked to the one it repeats. */
  async rerun(unitId: number, operatorId: number | null, id: number): Promise<ExportView> {
    const v = await this.view(unitId, id);
    return this.create(unitId, operatorId, { query: v.query, format: v.format }, id);
  }

  async list(unitId: number, limit = 50): Promise<ExportView[]> {
    return (await this.repo.list(this.knex, unitId, limit)).map(toExportView);
  }

  async view(unitId: number, id: number): Promise<ExportView> {
    const r = await this.repo.get(this.knex, id);
    if (!r || r.unitId !== unitId) throw new AppError('EXPORT_NOT_FOUND', 404);
    return toExportView(r);
  }

  /** The finished file to stream to a download, with the name it should be saved under. */
  async file(unitId: number, id: number): Promise<{ path: string; name: string; type: string; size: number }> {
    const r = await this.repo.get(this.knex, id);
    if (!r || r.unitId !== unitId) throw new AppError('EXPORT_NOT_FOUND', 404);
    if (r.status === 'expired') throw new AppError('EXPORT_EXPIRED', 410);
    if (r.status !== 'done' || !r.fileName) throw new AppError('EXPORT_NOT_READY', 409);
    const p = path.join(this.dir, r.fileName);
    if (!fs.existsSync(p)) throw new AppError('EXPORT_EXPIRED', 410);
    return { path: p, name: downloadName(r), type: MEDIA_TYPES[r.format as ExportFormat], size: fs.statSync(p).size };
  }
}
