import { CodeStatesRepository } from '../../../db/repositories/code-states.repository.js';
import { DocumentsRepository } from '../../../db/repositories/documents.repository.js';
import { MovementsRepository } from '../../../db/repositories/movements.repository.js';
import { PacksRepository } from '../../../db/repositories/packs.repository.js';
import { ProductCodesRepository } from '../../../db/repositories/product-codes.repository.js';
import { ProductsRepository } from '../../../db/repositories/products.repository.js';
import { ReconciliationRepository } from '../../../db/repositories/reconciliation.repository.js';
import { StationContextRepository } from '../../../db/repositories/station-context.repository.js';

/** The repositories dock services share (all stateless; one instance each). */
export interface DockRepos {
  codeStates: CodeStatesRepository;
  documents: DocumentsRepository;
  movements: MovementsRepository;
  packs: PacksRepository;
  productCodes: ProductCodesRepository;
  products: ProductsRepository;
  reconciliation: ReconciliationRepository;
  context: StationContextRepository;
}

export function createDockRepos(): DockRepos {
  return {
    codeStates: new CodeStatesRepository(),
    documents: new DocumentsRepository(),
    movements: new MovementsRepository(),
    packs: new PacksRepository(),
    productCodes: new ProductCodesRepository(),
    products: new ProductsRepository(),
    reconciliation: new ReconciliationRepository(),
    context: new StationContextRepository(),
  };
}
