/**
 * China time (UTC+8 all year: no daylight saving since 1991), whatever time zone the server runs
 * in. Platforms, registers and reconciliations count days and print times this way.
 */
export const CHINA_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;

const chinaIso = (at: number | Date): string => new Date((typeof at === 'number' ? at : at.getTime()) + CHINA_OFFSET_MS).toISOString();

/** `YYYY-MM-DD` of an instant in China. */
export const chinaDate = (at: number | Date): string => chinaIso(at).slice(0, 10);

/** `yyyy-MM-dd HH:mm:ss` of an instant in China. */
export const chinaDateTime = (at: number | Date): string => chinaIso(at).slice(0, 19).replace('T', ' ');

/** The instant a China `YYYY-MM-DD` begins (epoch ms). */
export const chinaDayStart = (date: string): number => Date.parse(`${date}T00:00:00Z`) - CHINA_OFFSET_MS;
