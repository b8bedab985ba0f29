import type { Knex } from 'knex';
import { ProductsRepository } from '../../../db/repositories/products.repository.js';
import { RecallRepository, type RecallScope } from '../../../db/repositories/recall.repository.js';
import type { RecallBatchOption, RecallCounterpartyLine, RecallPaging, RecallRowView, RecallScopeView, RecallSummaryView, RecallView } from '../../contract/recall.js';
import { AppError } from '../app-error.js';
import { parseCodes } from './scope.js';
import { toLines, toRowView, toSummary } from './views.js';
import type { RecallWorkbook } from './xlsx.js';

/** What a recall is about: a product batch, or a pasted list of codes (raw lines, decoded here). */
export type RecallInput = { kind: 'batch'; productId: number; batch: string } | { kind: 'codes'; lines: readonly string[] };

/** A recall with its scope resolved once: the statements' scope and what the report says about it. */
export interface ResolvedRecall {
  unitId: number;
  scope: RecallScope;
  view: RecallScopeView;
}

// Rows per statement while streaming the file: big enough to keep statements few, small enough
// that one page never holds the scan queue's single SQLite connection for long.
const FILE_PAGE = 5000;

/**
 * "Where is every unit of this batch now, and how did it get there" (召回报告). Reads only; every
 * figure is one aggregate statement over the scope, the rows come a page at a time.
 */
export class RecallService {
  private readonly repo = new RecallRepository();
  private readonly products = new ProductsRepository();

  constructor(
    private readonly knex: Knex,
    private readonly now: () => number = Date.now,
  ) {}

  async resolve(unitId: number, input: RecallInput): Promise<ResolvedRecall> {
    if (input.kind === 'codes') {
      const parsed = parseCodes(input.lines);
      return { unitId, scope: { kind: 'codes', unitId, codes: parsed.codes }, view: { kind: 'codes', listed: parsed.codes.length, unreadable: parsed.unreadable, unreadableCount: parsed.unreadableCount } };
    }
    const p = await this.products.get(this.knex, input.productId);
    if (!p) throw new AppError('PRODUCT_NOT_FOUND', 404);
    return {
      unitId,
      scope: { kind: 'batch', unitId, productId: p.id, batch: input.batch },
      view: { kind: 'batch', product: { id: p.id, code: p.code, name: p.name, spec: p.spec, manufacturer: p.manufacturer }, batch: input.batch },
    };
  }

  /** Summary, counterparties and one page of rows (or the page alone, when paging). */
  async view(r: ResolvedRecall, paging: RecallPaging): Promise<RecallView> {
    const generatedAt = this.now();
    const head = paging.rowsOnly ? null : await this.summary(r);
    const page = await this.repo.page(this.knex, r.scope, { sort: paging.sort, dir: paging.dir, limit: paging.limit, offset: paging.offset });
    const total = page.total ?? (head ? head.summary.units : await this.repo.count(this.knex, r.scope));
    return { scope: r.view, generatedAt, summary: head?.summary ?? null, counterparties: head?.counterparties ?? null, rows: page.rows.map(toRowView), total, offset: paging.offset, limit: paging.limit };
  }

  async summary(r: ResolvedRecall): Promise<{ summary: RecallSummaryView; counterparties: RecallCounterpartyLine[] }> {
    const groups = await this.repo.groups(this.knex, r.scope);
    const backward = await this.repo.backward(this.knex, r.scope);
    const counterparties = toLines(groups, backward.lines);
    return { summary: toSummary(groups, backward.origins, counterparties), counterparties };
  }

  /** Every unit of the scope once, by code, a page at a time (for the streamed file). */
  async *units(r: ResolvedRecall, pageSize = FILE_PAGE): AsyncGenerator<RecallRowView[]> {
    const read = (after: string) => {
      const p = this.repo.page(this.knex, r.scope, { sort: 'code', dir: 'asc', limit: pageSize, after });
      // Awaited below; a reader that stops early must not leave it as an unhandled rejection.
      p.catch(() => {});
      return p;
    };
    // The next page is read (on the database's thread) while the caller writes this one.
    let next = read('');
    for (;;) {
      const { rows } = await next;
      if (rows.length === pageSize) next = read(rows[rows.length - 1]!.code);
      if (rows.length > 0) yield rows.map(toRowView);
      if (rows.length < pageSize) return;
    }
  }

  async batches(unitId: number, productId: number): Promise<RecallBatchOption[]> {
    return this.repo.batches(this.knex, unitId, productId);
  }

  /** Everything the streamed file needs; the units are read while it is written. */
  async workbook(r: ResolvedRecall): Promise<RecallWorkbook> {
    const generatedAt = this.now();
    const unit = (await this.knex('units').where({ id: r.unitId }).first('name', 'uscc')) as { name: string; uscc: string } | undefined;
    const { summary, counterparties } = await this.summary(r);
    return { unit: unit ?? { name: '', uscc: '' }, scope: r.view, generatedAt, summary, counterparties, units: this.units(r) };
  }
}
