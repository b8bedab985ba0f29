import path from 'node:path';
import type { Knex } from 'knex';
import type { ProductMatch, ProductRow } from '../../../db/repositories/products.repository.js';
import type { Queryable } from '../../../db/repositories/tx.js';
import type { AuthService } from '../auth.service.js';
import { counterpartyImport } from './counterparty-import.js';
import { CounterpartiesService } from './counterparties.service.js';
import { ImportService, type ImportLimits } from './import.service.js';
import type { ImportSpec } from './import-spec.js';
import { productImport } from './product-import.js';
import { ProductsService, type ProductsOutbox } from './products.service.js';
import { createMasterDataRepos, type MasterDataRepos } from './repos.js';
import { ImportReports } from './report-store.js';
import { Templates } from './templates.js';

/** Master data (issue 5): products with the three-code mapping, counterparties, imports, templates. */
export interface MasterData {
  repos: MasterDataRepos;
  products: ProductsService;
  counterparties: CounterpartiesService;
  imports: ImportService;
  reports: ImportReports;
  templates: Templates;
  /** The dock's lookups; `q` lets them run inside the caller's transaction. */
  findProductByGtin(q: Queryable, gtin: string): Promise<ProductMatch | undefined>;
  findProductByPrefix(q: Queryable, prefix: string): Promise<ProductMatch | undefined>;
  productsById(q: Queryable, ids: readonly number[]): Promise<Map<number, ProductRow>>;
}

export interface MasterDataDeps {
  knex: Knex;
  auth: AuthService;
  dataDir: string;
  now?: () => number;
  limits?: Partial<ImportLimits>;
  outbox?: ProductsOutbox;
}

export const DEFAULT_IMPORT_LIMITS: ImportLimits = { maxBytes: 50 * 1024 * 1024, maxRows: 200_000 };

export function createMasterData(d: MasterDataDeps): MasterData {
  const now = d.now ?? Date.now;
  const repos = createMasterDataRepos();
  const dir = path.join(d.dataDir, 'imports');
  const reports = new ImportReports(path.join(dir, 'reports'), undefined, now);
  const specs = { products: productImport(repos) as ImportSpec<unknown>, counterparties: counterpartyImport(repos) as ImportSpec<unknown> };
  return {
    repos,
    products: new ProductsService(d.knex, repos, d.auth, now, d.outbox),
    counterparties: new CounterpartiesService(d.knex, repos, d.auth, now),
    imports: new ImportService(d.knex, d.auth, specs, reports, path.join(dir, 'uploads'), { ...DEFAULT_IMPORT_LIMITS, ...d.limits }, now, d.outbox),
    reports,
    templates: new Templates(),
    findProductByGtin: (q, gtin) => repos.products.findByGtin(q, gtin),
    findProductByPrefix: (q, prefix) => repos.products.findByPrefix(q, prefix),
    productsById: async (q, ids) => new Map((await repos.products.getMany(q, ids)).map((p) => [p.id, p])),
  };
}
