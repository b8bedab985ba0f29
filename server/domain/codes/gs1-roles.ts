import { AI_SPECS } from './ai-table.js';

/** Which DecodedScan field an AI feeds (DESIGN.md §3), by AI table index. */
export const ROLE_GTIN = 1;
export const ROLE_SERIAL = 2;
export const ROLE_BATCH = 3;
export const ROLE_SSCC = 4;
export const ROLE_EXPIRY = 5;
export const ROLE_PRODUCTION = 6;
/** 7003: expiry with a time of day; its date is the expiry when (17) is absent. */
export const ROLE_EXPIRY_TIME = 7;

const ROLES: Readonly<Record<string, number>> = {
  '01': ROLE_GTIN, '21': ROLE_SERIAL, '10': ROLE_BATCH, '00': ROLE_SSCC, '17': ROLE_EXPIRY, '11': ROLE_PRODUCTION, '7003': ROLE_EXPIRY_TIME,
};

export const ROLE = new Uint8Array(AI_SPECS.length);
for (const spec of AI_SPECS) ROLE[spec.index] = ROLES[spec.ai] ?? 0;
