import type {
  ReconcileResultView,
  UPLOAD_STATES as ContractUploadStates,
  UploadCounts,
  UploadLedgerEntryView,
  UploadRecordView,
  UploadStateName,
  UploadSummaryView,
} from '../../../server/contract/uploads.js';
import type { Localized } from '../../../server/contract/views.js';
import { api } from './api.js';
import { hasKey, loc, t, type MessageKey } from '../i18n/index.svelte.js';

/*
 * Copy of the contract's state list (server/contract/uploads.ts): a value import would pull zod into
 * the bundle. Typed as the contract's own constant, so any difference fails the typecheck.
 */
export const UPLOAD_STATES: typeof ContractUploadStates = ['pending', 'sending', 'unknown', 'accepted', 'rejected', 'skipped', 'manual'];
/** Records the platform has not settled yet: what a "backlog" is to the dock. */
export const WAITING_STATES = ['pending', 'sending', 'unknown'] as const satisfies readonly UploadStateName[];

export const waitingOf = (c: UploadCounts): number => c.pending + c.sending + c.unknown;

const enc = encodeURIComponent;

/** The upload monitor's HTTP calls (business `upload`). */
export const uploadsApi = {
  summary: () => api.get<UploadSummaryView>('/api/uploads'),
  records(q: { state?: UploadStateName; operation?: string; code?: string; limit?: number; before?: number }): Promise<UploadRecordView[]> {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, String(v));
    return api.get<UploadRecordView[]>(`/api/uploads/records?${p}`);
  },
  retry: (id: number, reason?: string) => api.post<UploadRecordView>(`/api/uploads/${id}/retry`, reason ? { reason } : {}),
  skip: (id: number, reason: string) => api.post<UploadRecordView>(`/api/uploads/${id}/skip`, { reason }),
  reconcile: (date: string) => api.post<ReconcileResultView>('/api/uploads/reconcile', { date }),
  ledger: (code: string) => api.get<UploadLedgerEntryView[]>(`/api/codes/${enc(code)}/uploads`),
};

export function stateLabel(state: UploadStateName): string {
  return t(`uploadState.${state}`);
}

/**
 * An operation's title: the interface profile's own (from the summary) when known, else the
 * built-in name of the operation, else its id (a user profile may add nothing, but never hide one).
 */
export function operationTitle(operation: string, titles?: ReadonlyMap<string, Localized>): string {
  const fromProfile = loc(titles?.get(operation));
  if (fromProfile) return fromProfile;
  const key = `uploadOp.${operation}`;
  return hasKey(key) ? t(key as MessageKey) : operation;
}

/** Operation → title as the summary's backlog rows carry them. */
export function titlesOf(summary: UploadSummaryView | null): Map<string, Localized> {
  return new Map((summary?.backlog ?? []).map((r) => [r.operation, r.title]));
}

/** A ledger event in words (queued, sent, accepted …), or as stored when this screen does not know it. */
export function eventLabel(event: string): string {
  const key = `uploadEvent.${event}`;
  return hasKey(key) ? t(key as MessageKey) : event;
}

export function channelLabel(channel: UploadLedgerEntryView['channel']): string {
  return channel ? t(`uploadChannel.${channel}`) : t('common.none');
}

/** "45 秒", "12 分", "3 小时 5 分", "2 天 4 小时": how long the oldest record has been waiting. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return t('uploads.age.seconds', { n: s });
  const m = Math.floor(s / 60);
  if (m < 60) return t('uploads.age.minutes', { n: m });
  const h = Math.floor(m / 60);
  if (h < 24) return t('uploads.age.hours', { h, m: m % 60 });
  return t('uploads.age.days', { d: Math.floor(h / 24), h: h % 24 });
}

/** Today as YYYY-MM-DD in local time (the reconcile form's default). */
export function today(now = new Date()): string {
  return [now.getFullYear(), now.getMonth() + 1, now.getDate()].map((n) => String(n).padStart(2, '0')).join('-');
}
