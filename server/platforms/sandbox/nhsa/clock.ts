/** China keeps UTC+8 all year (no daylight saving), so a fixed offset is exact. */
const CHINA_OFFSET_MS = 8 * 3_600_000;

const chinaIso = (ms: number) => new Date(ms + CHINA_OFFSET_MS).toISOString();

/** `YYYY-MM-DD` in China time. */
export const chinaDate = (ms: number): string => chinaIso(ms).slice(0, 10);

/** `yyyy-MM-dd HH:mm:ss` in China time. */
export const chinaDateTime = (ms: number): string => chinaIso(ms).slice(0, 19).replace('T', ' ');

export const isCalendarDate = (text: string): boolean => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
};

export const isChinaDateTime = (text: string): boolean => {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  return !!m && isCalendarDate(m[1]!) && Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4]) < 60;
};
