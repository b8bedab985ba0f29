import type { Knex } from 'knex';
import { CodeQueryRepository, type CodeFilter, type CodeQueryRow } from '../../../db/repositories/code-query.repository.js';
import type { CodeStateName } from '../../contract/dock.js';
import type { CodePageView, CodeQuery, CodeQuerySpec, CodeRowView } from '../../contract/queries.js';
import { chinaDayStart, DAY_MS } from '../../domain/china-time.js';
import { canonicalCode, gs1Identity } from './canonical-code.js';

/** A pasted list: one code per line, or separated by commas, semicolons or spaces. */
export function splitCodes(text: string): string[] {
  return [...new Set(text.split(/[\s,;，；]+/).filter(Boolean).map(canonicalCode))];
}

/** The query as the repository's filter: codes canonical, China days as instants, GTIN + serial as identity. */
export function toFilter(q: CodeQuerySpec): CodeFilter {
  const codes = [...(q.code ? splitCodes(q.code) : []), ...(q.gtin && q.serial ? [gs1Identity(q.gtin, q.serial)] : [])];
  const f: CodeFilter = {};
  if (codes.length) f.codes = codes;
  if (q.productId !== undefined) f.productId = q.productId;
  if (q.batch !== undefined) f.batch = q.batch;
  if (q.state) f.states = q.state as string[];
  if (q.level !== undefined) f.level = q.level;
  if (q.documentId !== undefined) f.documentId = q.documentId;
  if (q.document !== undefined) f.documentNumber = q.document;
  if (q.counterpartyId !== undefined) f.counterpartyId = q.counterpartyId;
  if (q.scanFrom) f.movedFrom = chinaDayStart(q.scanFrom);
  if (q.scanTo) f.movedTo = chinaDayStart(q.scanTo) + DAY_MS;
  if (q.uploadFrom) f.uploadedFrom = chinaDayStart(q.uploadFrom);
  if (q.uploadTo) f.uploadedTo = chinaDayStart(q.uploadTo) + DAY_MS;
  return f;
}

export function toRowView(r: CodeQueryRow): CodeRowView {
  return {
    code: r.code,
    level: r.level,
    state: r.state as CodeStateName,
    product: r.productId !== null ? { id: r.productId, name: r.productName ?? '' } : null,
    batch: r.batch,
    expiry: r.expiry,
    parent: r.parentCode,
    document: r.documentId !== null ? { id: r.documentId, number: r.documentNumber ?? '' } : null,
    updatedAt: r.updatedAt,
  };
}

/** Paged, sorted, counted answers to a supervisor's question, or every row as a stream. */
export class CodeQueryService {
  readonly repo = new CodeQueryRepository();

  constructor(private readonly knex: Knex) {}

  async page(unitId: number, q: CodeQuery): Promise<CodePageView> {
    const f = toFilter(q);
    const [total, rows] = await Promise.all([
      this.repo.count(this.knex, unitId, f),
      this.repo.page(this.knex, unitId, f, q.sort, q.order === 'desc', (q.page - 1) * q.pageSize, q.pageSize),
    ]);
    return { total, page: q.page, pageSize: q.pageSize, rows: rows.map(toRowView) };
  }

  async *stream(unitId: number, q: CodeQuerySpec): AsyncGenerator<CodeRowView[]> {
    for await (const rows of this.repo.stream(this.knex, unitId, toFilter(q), q.sort, q.order === 'desc')) yield rows.map(toRowView);
  }
}
