import type { Localized } from './views.js';

/** Error codes of package-relation import/export. Spread into ERROR_MESSAGES. */
export const RELATION_ERRORS = {} as const satisfies Record<string, Localized>;
