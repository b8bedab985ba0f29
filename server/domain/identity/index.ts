/**
 * Personal identity (issue 7): the Chinese resident ID number (masking lives in server/security/masking.ts). Pure
 * functions, no I/O; `now` is passed in where the answer depends on it.
 */
export { checkResidentId, normalizeResidentId, residentIdCheckChar, type ResidentIdCheck, type ResidentIdOptions } from './resident-id.js';
export { RESIDENT_ID_REASONS, residentIdMessage, type ResidentIdReason, type ResidentIdFacts } from './messages.js';
export { chinaDate, calendarDate, parseIsoDate, daysInMonth } from './calendar.js';
