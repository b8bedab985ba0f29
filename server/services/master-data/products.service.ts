import type { Knex } from 'knex';
import type { ProductCodeRow } from '../../../db/repositories/product-identifiers.repository.js';
import type { ProductFields, ProductRow } from '../../../db/repositories/products.repository.js';
import { isUniqueViolation, withWriteTx } from '../../../db/repositories/tx.js';
import { createProductBody, listQuery, updateProductBody, type CreateProductBody, type ListQuery, type Page, type PackLevelNo, type ProductView, type UpdateProductBody } from '../../contract/master-data.js';
import { parseOr400 } from '../../validate.js';
import { AppError } from '../app-error.js';
import type { AuthService, SessionContext } from '../auth.service.js';
import { applyIdentifiers, findIdentifierConflicts } from './identifiers.js';
import type { MasterDataRepos } from './repos.js';
import { checkProduct, PRODUCT_DEFAULTS, type ProductDraft } from './product-rules.js';
import { throwProblems } from './problems.js';


/** Products (药品/耗材) and their three-code mapping, edited one at a time from the screens. */
export interface ProductsOutbox {
  productsChanged(trx: Knex.Transaction, unitId: number, products: { ids: readonly number[] } | { updatedAt: number }, at: number): Promise<void>;
  wake(): void;
}

export class ProductsService {
  constructor(
    private readonly knex: Knex,
    private readonly repos: MasterDataRepos,
    private readonly auth: AuthService,
    private readonly now: () => number = Date.now,
    /** A manufacturer owes the platform its product information (国产药/进口药/医用耗材信息上传). */
    private readonly outbox?: ProductsOutbox,
  ) {}

  async list(query: ListQuery): Promise<Page<ProductView>> {
    const o = parseOr400(listQuery, query);
    const { rows, total } = await this.repos.products.list(this.knex, { search: o.q, limit: o.limit, offset: o.offset });
    return { items: await this.views(this.knex, rows), total };
  }

  async get(id: number): Promise<ProductView> {
    const p = await this.repos.products.get(this.knex, id);
    if (!p) throw new AppError('PRODUCT_NOT_FOUND', 404);
    return (await this.views(this.knex, [p]))[0]!;
  }

  async create(ctx: SessionContext, body: CreateProductBody): Promise<ProductView> {
    await this.auth.authorize(ctx, 'masterdata');
    const { draft, problems } = checkProduct(parseOr400(createProductBody, body));
    if (problems.length) throwProblems(problems);
    const fields = { ...PRODUCT_DEFAULTS, ...draft.fields } as ProductFields;
    return this.write(async (trx) => {
      await this.refuseTaken(trx, { code: fields.code }, draft.identifiers);
      const p = await this.repos.products.insert(trx, fields, this.now());
      await applyIdentifiers(trx, this.repos.identifiers, [{ productId: p.id, identifiers: draft.identifiers }], ctx.operatorId, this.now(), { source: 'api' });
      if (ctx.unitId) await this.outbox?.productsChanged(trx, ctx.unitId, { ids: [p.id] }, this.now());
      return p;
    });
  }

  async update(ctx: SessionContext, id: number, body: UpdateProductBody): Promise<ProductView> {
    await this.auth.authorize(ctx, 'masterdata');
    const { draft, problems } = checkProduct(parseOr400(updateProductBody, body));
    if (problems.length) throwProblems(problems);
    return this.write(async (trx) => {
      const before = await this.repos.products.get(trx, id);
      if (!before) throw new AppError('PRODUCT_NOT_FOUND', 404);
      await this.refuseTaken(trx, { id, code: before.code }, draft.identifiers);
      const p = (await this.repos.products.update(trx, id, draft.fields, this.now()))!;
      await applyIdentifiers(trx, this.repos.identifiers, [{ productId: id, identifiers: draft.identifiers }], ctx.operatorId, this.now(), { source: 'api' });
      if (ctx.unitId) await this.outbox?.productsChanged(trx, ctx.unitId, { ids: [id] }, this.now());
      return p;
    });
  }

  private async refuseTaken(trx: Knex.Transaction, owner: { id?: number; code: string }, identifiers: ProductDraft['identifiers']): Promise<void> {
    const conflicts = await findIdentifierConflicts(trx, this.repos.identifiers, [{ owner, identifiers }]);
    if (conflicts.length) throwProblems(conflicts.map((c) => ({ field: c.field, value: c.value, code: 'PRODUCT_IDENTIFIER_TAKEN', reason: c.reason })));
  }

  private async write(fn: (trx: Knex.Transaction) => Promise<ProductRow>): Promise<ProductView> {
    try {
      const p = await withWriteTx(this.knex, fn);
      this.outbox?.wake();
      return (await this.views(this.knex, [p]))[0]!;
    } catch (err) {
      if (isUniqueViolation(err, 'product_codes')) throw new AppError('PRODUCT_IDENTIFIER_TAKEN', 409);
      if (isUniqueViolation(err, 'products')) throw new AppError('PRODUCT_CODE_TAKEN', 409);
      throw err;
    }
  }

  private async views(q: Knex, rows: readonly ProductRow[]): Promise<ProductView[]> {
    const codes = await this.repos.identifiers.listFor(q, rows.map((r) => r.id));
    const byProduct = new Map<number, ProductCodeRow[]>();
    for (const c of codes) byProduct.set(c.productId, [...(byProduct.get(c.productId) ?? []), c]);
    return rows.map((r) => toProductView(r, byProduct.get(r.id) ?? []));
  }
}

export function toProductView(r: ProductRow, codes: readonly ProductCodeRow[]): ProductView {
  return {
    ...r,
    codes: codes
      .filter((c) => c.status === 'active' || c.status === 'pending')
      .map((c) => ({ id: c.id, kind: c.kind, level: c.level as PackLevelNo, value: c.value, status: c.status as 'active' | 'pending' })),
  };
}
