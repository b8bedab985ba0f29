import type { Localized } from './views.js';

/** Error codes of master data (products, counterparties, imports). Spread into ERROR_MESSAGES. */
export const MASTER_DATA_ERRORS = {} as const satisfies Record<string, Localized>;
