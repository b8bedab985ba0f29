import type { Localized } from './views.js';

/** Error codes of documents, code states and aggregation. Spread into ERROR_MESSAGES. */
export const DOCK_ERRORS = {} as const satisfies Record<string, Localized>;
