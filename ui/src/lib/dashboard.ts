import type { DashboardReasonView, DashboardView, ScanOutcome } from '../../../server/contract/dashboard.js';
import { api } from './api.js';
import { operationTitle } from './uploads.js';
import { hasKey, loc, t, type MessageKey } from '../i18n/index.svelte.js';

/** How often the page asks again while it is visible (see DashboardPage for why polling). */
export const REFRESH_MS = 15_000;

export const dashboardApi = {
  get: (date: string | null) => api.get<DashboardView>(`/api/dashboard${date ? `?date=${date}` : ''}`),
};

/* Copy of the contract's outcome list (a value import would pull zod into the bundle). */
export const OUTCOMES: readonly ScanOutcome[] = ['accepted', 'duplicate', 'rejected', 'undone'];

/** Outcome colours: the station screen's marks, so green/amber/red mean the same everywhere. */
export const OUTCOME_COLOURS: Record<ScanOutcome, string> = { accepted: '#3ddc77', duplicate: '#ffc23d', rejected: '#ff5a5f', undone: '#7d8c9a' };

/** Station colours on the dark panel: distinct hues, none of them the outcome red or green. */
const STATION_COLOURS = ['#4da3ff', '#c78bff', '#4fd1c5', '#ff9f5a', '#f06292', '#e6d85c', '#8fa8ff', '#9be07a'];
export const stationColour = (i: number): string => STATION_COLOURS[i % STATION_COLOURS.length]!;

export const outcomeLabel = (o: ScanOutcome): string => t(`dash.outcome.${o}`);

/** A reason's short label, else the latest scan's own message, else its stored code. */
export function reasonLabel(r: DashboardReasonView): string {
  const key = `dash.reason.${r.reasonCode}`;
  if (hasKey(key)) return t(key as MessageKey);
  return loc(r.example) ?? (r.reasonCode || '—');
}

/** An outbox operation in words (the Gansu one is not in the NHSA profile's names). */
export function uploadOperationLabel(operation: string): string {
  const key = `dash.op.${operation}`;
  return hasKey(key) ? t(key as MessageKey) : operationTitle(operation);
}

export const hourLabel = (h: number): string => `${String(h).padStart(2, '0')}:00`;

/** YYYY-MM-DD ± days, on the calendar (no time zone involved). */
export function shiftDate(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const grouped = new Intl.NumberFormat('en-US');
/** 12,345: thousands grouped the way Chinese business figures are printed too. */
export const fmt = (n: number): string => grouped.format(n);
