import { t } from '../i18n/index.svelte.js';

/** ASCII 29 (GS, the GS1 field separator) is invisible; dock staff and support need to see it. */
export function showGs(text: string): string {
  return text.replace(/\x1d/g, '␝');
}

export function clockTime(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** "12 秒前" for the last hour, the clock time after that. */
export function ago(ms: number, now: number): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 5) return t('time.justNow');
  if (s < 60) return t('time.secondsAgo', { n: s });
  if (s < 3600) return t('time.minutesAgo', { n: Math.floor(s / 60) });
  return clockTime(ms);
}

/** "2026-11-21 14:03:09" in local time, for logs and tables. */
export function dateTime(ms: number): string {
  const d = new Date(ms);
  const day = [d.getFullYear(), d.getMonth() + 1, d.getDate()].map((n) => String(n).padStart(2, '0')).join('-');
  return `${day} ${clockTime(ms)}`;
}
