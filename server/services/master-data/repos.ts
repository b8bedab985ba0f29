import { CounterpartiesRepository } from '../../../db/repositories/counterparties.repository.js';
import { ProductIdentifiersRepository } from '../../../db/repositories/product-identifiers.repository.js';
import { ProductsRepository } from '../../../db/repositories/products.repository.js';

export interface MasterDataRepos {
  products: ProductsRepository;
  identifiers: ProductIdentifiersRepository;
  counterparties: CounterpartiesRepository;
}

export const createMasterDataRepos = (): MasterDataRepos => ({
  products: new ProductsRepository(),
  identifiers: new ProductIdentifiersRepository(),
  counterparties: new CounterpartiesRepository(),
});
