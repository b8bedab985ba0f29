import type {
  ReconcileResultView,
  UPLOAD_STATES as ContractUploadStates,
  UploadCounts,
  UploadLedgerEntryView,
  UploadRecordView,
  UploadStateName,
  UploadSummaryView,
  ManualExportCreatedView,
  ManualExportView,
  ManualRecordOutcomeView,
  ManualSettledView,
  GansuMonitorView,
  GansuCallView,
  GansuRefusedRowView,
  GansuTokenFetchView,
} from '../../../server/contract/uploads.js';
import type { ApiErrorBody } from '../../../server/contract/errors.js';
import type { Localized } from '../../../server/contract/views.js';
import { api, ApiError, describeError, errorText } from './api.js';
import { hasKey, i18n, loc, t, type MessageKey } from '../i18n/index.svelte.js';

/*
 * Copy of the contract's state list (server/contract/uploads.ts): a value import would pull zod into
 * the bundle. Typed as the contract's own constant, so any difference fails the typecheck.
 */
export const UPLOAD_STATES: typeof ContractUploadStates = ['pending', 'sending', 'unknown', 'accepted', 'rejected', 'skipped', 'manual'];
/** Records the platform has not settled yet: what a "backlog" is to the dock. */
export const WAITING_STATES = ['pending', 'sending', 'unknown'] as const satisfies readonly UploadStateName[];

export const waitingOf = (c: UploadCounts): number => c.pending + c.sending + c.unknown;

const enc = encodeURIComponent;

/* The manual-upload (网页上传) answers, under the names the components use. */
export type ManualRecordOutcome = ManualRecordOutcomeView;
export type ManualExportCreated = ManualExportCreatedView;
export type ManualExport = ManualExportView;
export type ManualSettled = ManualSettledView;

/** The query parameter naming a report file's format, from its name (the server sniffs the rest). */
export function reportFormat(fileName: string): 'csv' | 'xlsx' | null {
  if (/\.(csv|txt)$/i.test(fileName)) return 'csv';
  if (/\.xlsx$/i.test(fileName)) return 'xlsx';
  return null;
}

/**
 * The portal's error report, the file itself as the body (not multipart, not JSON): the server
 * spools it with a size limit and reads XLSX, or CSV when `?format=csv`.
 */
async function postReport(id: number, file: Blob & { name: string }): Promise<ManualSettled> {
  const format = reportFormat(file.name);
  const type = format === 'csv' ? 'text/csv' : file.type && file.type !== 'application/json' ? file.type : 'application/octet-stream';
  let res: Response;
  try {
    res = await fetch(`/api/uploads/manual-exports/${id}/report${format ? `?format=${format}` : ''}`, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Accept-Language': i18n.lang, 'Content-Type': type },
      body: file,
    });
  } catch {
    throw new ApiError(0, 'NETWORK', t('error.network'));
  }
  const payload = (await res.json().catch(() => null)) as { error?: ApiErrorBody } | ManualSettled | null;
  if (res.ok && payload && 'accepted' in payload) return payload;
  const error = payload && 'error' in payload ? payload.error : undefined;
  if (error) throw new ApiError(res.status, error.code, errorText(error), error);
  throw new ApiError(res.status, 'HTTP_' + res.status, `${res.status} ${res.statusText}`);
}

/** The manual-upload fallback's HTTP calls (business `upload`). */
export const manualApi = {
  list: (q: { limit?: number; before?: number } = {}) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v !== undefined) p.set(k, String(v));
    return api.get<ManualExport[]>(`/api/uploads/manual-exports?${p}`);
  },
  create: (operation: string, recordIds?: number[]) => api.post<ManualExportCreated>('/api/uploads/manual-exports', recordIds ? { operation, recordIds } : { operation }),
  get: (id: number) => api.get<ManualExport>(`/api/uploads/manual-exports/${id}`),
  fileUrl: (id: number) => `/api/uploads/manual-exports/${id}/file`,
  report: postReport,
  confirm: (id: number) => api.post<ManualSettled>(`/api/uploads/manual-exports/${id}/confirm`, {}),
  cancel: (id: number, reason: string) => api.post<{ cancelled: number }>(`/api/uploads/manual-exports/${id}/cancel`, { reason }),
};

/** An export's state in words, or as stored when this screen does not know it. */
export function manualOutcomeLabel(outcome: string): string {
  const key = `uploads.manual.outcome.${outcome}`;
  return hasKey(key) ? t(key as MessageKey) : outcome;
}

/**
 * A failed manual-upload call in words. A refused report already lists its rows in the message;
 * the generic rendering would repeat them (up to 200) as issues after it.
 */
export function manualErrorText(err: unknown): string {
  if (err instanceof ApiError && err.body && err.code === 'UPLOAD_REPORT_INVALID') return err.body.messages?.[i18n.lang] ?? err.body.message;
  return describeError(err);
}

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

export type { GansuMonitorView, GansuCallView, GansuRefusedRowView, GansuTokenFetchView };

/** The Gansu key-variety platform's section of the monitor (business `upload`). */
export const gansuApi = {
  monitor: () => api.get<GansuMonitorView>('/api/retail/gansu/uploads'),
  /** Rebuilds the row's drug and store fields from the master data as it is now and queues it again. */
  resend: (recordId: number, reason?: string) => api.post<{ recordId: number; changed: string[] }>(`/api/retail/gansu/uploads/${recordId}/resend`, reason ? { reason } : {}),
};

const GANSU_OUTCOMES = ['sending', 'accepted', 'partial', 'refused', 'unknown', 'not-sent', 'interrupted', 'empty'] as const;
type GansuOutcome = (typeof GANSU_OUTCOMES)[number];

/** A Gansu call's outcome in words; an unknown one (a newer server) as it came. */
export function gansuOutcomeLabel(outcome: string): string {
  return (GANSU_OUTCOMES as readonly string[]).includes(outcome) ? t(`uploads.gansu.outcome.${outcome as GansuOutcome}`) : outcome;
}

/** "812 ms" / "1.4 s": a call's round trip. */
export function roundTrip(ms: number | null): string {
  if (ms === null) return t('common.none');
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
