import type { Business, UnitCredential, UnitType } from '../../../server/contract/accounts.js';
import type { MessageKey } from '../i18n/index.svelte.js';

/*
 * Copies of the contract's lists (server/contract/accounts.ts): a value import would pull zod and
 * server code into the bundle. The checks below fail svelte-check if the contract grows a member.
 */
export const BUSINESSES = ['receiving', 'dispatch', 'aggregation', 'retail', 'upload', 'query', 'masterdata', 'admin'] as const satisfies readonly Business[];
export const UNIT_TYPES = ['manufacturer', 'distributor', 'retail', 'hospital'] as const satisfies readonly UnitType[];
export const UNIT_CREDENTIALS = ['nhsaAk', 'nhsaSk', 'gansuLoginId', 'gansuPassword', 'gansuPublicKey', 'gansuAppKey'] as const satisfies readonly UnitCredential[];

type Covers<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : false;
const complete: [Covers<Business, (typeof BUSINESSES)[number]>, Covers<UnitType, (typeof UNIT_TYPES)[number]>, Covers<UnitCredential, (typeof UNIT_CREDENTIALS)[number]>] = [true, true, true];
void complete;

export const businessLabel = (b: Business): MessageKey => `business.${b}`;
export const unitTypeLabel = (u: UnitType): MessageKey => `unitType.${u}`;
export const credentialLabel = (c: UnitCredential): MessageKey => `credential.${c}`;

