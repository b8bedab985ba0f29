import { z } from 'zod';
import type { Localized } from './views.js';

/** Error codes of the upload monitor. Spread into ERROR_MESSAGES. */
export const UPLOAD_ERRORS = {
  UPLOAD_NOT_FOUND: { 'zh-CN': '上传记录不存在', en: 'No such upload record' },
  UPLOAD_STATE_CONFLICT: { 'zh-CN': '该记录当前状态不能执行此操作', en: 'The record is not in a state that allows this' },
  UPLOAD_QUERY_FAILED: { 'zh-CN': '查询医保平台失败，请稍后再试', en: 'The platform query failed — try again later' },
  UPLOAD_REPORT_INVALID: { 'zh-CN': '错误报告文件无法识别', en: 'The error report file cannot be read' },
  UPLOAD_NOTHING_TO_EXPORT: { 'zh-CN': '所选范围内没有待上传的记录', en: 'Nothing pending in this selection' },
  UPLOAD_EXPORT_NOT_FOUND: { 'zh-CN': '导出批次不存在', en: 'No such export' },
} as const satisfies Record<string, Localized>;

export const UPLOAD_STATES = ['pending', 'sending', 'unknown', 'accepted', 'rejected', 'skipped', 'manual'] as const;
export type UploadStateName = (typeof UPLOAD_STATES)[number];
export type UploadCounts = Record<UploadStateName, number>;

export interface UploadBacklogRow {
  /** nhsa: the national traceability platform; gansu: the key-variety sales monitoring platform. */
  platform: 'nhsa' | 'gansu';
  unitId: number;
  unitName: string;
  operation: string;
  title: Localized;
  counts: UploadCounts;
  /** When the oldest record still waiting was queued (ms), null when nothing waits. */
  oldestWaitingAt: number | null;
  /** Records wait because this unit has no platform keys (and the workstation none to lend). */
  missingCredentials: boolean;
}

export interface UploadFailureView {
  platform: 'nhsa' | 'gansu';
  recordId: number;
  unitId: number;
  operation: string;
  code: string | null;
  documentId: number | null;
  message: string | null;
  at: number;
}

/** What the upload monitor shows; also the payload of the socket event `upload.status`. */
export interface UploadSummaryView {
  target: { platform: 'nhsa'; mode: 'sandbox' | 'configured'; url: string; profileVersion: string; profileSource: string };
  totals: UploadCounts;
  backlog: UploadBacklogRow[];
  /** Accepted records per second over the last minute. */
  throughput: { acceptedLastMinute: number; perSecond: number };
  /** Platform clock minus ours (seconds) at the last answer; a warning when beyond the profile's limit. */
  clock: { skewSeconds: number | null; warning: boolean };
  /** The endpoint is being backed off after failures (network down, platform trouble). */
  endpoint: { consecutiveFailures: number; retryAt: number | null };
  failures: UploadFailureView[];
  at: number;
}

export interface UploadRecordView {
  id: number;
  unitId: number;
  operation: string;
  code: string | null;
  documentId: number | null;
  state: UploadStateName;
  attempts: number;
  message: string | null;
  createdAt: number;
  updatedAt: number;
  acceptedAt: number | null;
}

/** One line of a code's upload ledger: which call carried it, when, and what the platform said. */
export interface UploadLedgerEntryView {
  at: number;
  recordId: number;
  operation: string;
  event: string;
  batchId: number | null;
  channel: 'api' | 'manual' | 'query' | null;
  httpStatus: number | null;
  roundTripMs: number | null;
  message: string | null;
  operatorId: number | null;
}

export const uploadRecordsQuery = z.object({
  state: z.enum(UPLOAD_STATES).optional(),
  operation: z.string().max(30).optional(),
  code: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().positive().optional(),
});
export type UploadRecordsQuery = z.infer<typeof uploadRecordsQuery>;

export const skipUploadBody = z.object({ reason: z.string().trim().min(2).max(500) }).strict();
export const retryUploadBody = z.object({ reason: z.string().trim().max(500).optional() }).strict();
export const reconcileBody = z
  .object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(), batch: z.string().trim().min(1).max(60).optional() })
  .strict()
  .refine((b) => (b.date === undefined) !== (b.batch === undefined), 'give either date or batch');
export const manualExportBody = z
  .object({ operation: z.string().min(1).max(30), recordIds: z.array(z.number().int().positive()).max(100_000).optional() })
  .strict();

export interface ReconcileResultView {
  date: string;
  batch?: string;
  checked: number;
  found: number;
  /** Records we believed accepted that the platform does not hold: queued again. */
  missing: Array<{ recordId: number; operation: string; code: string | null }>;
}

/** One record the export refused (incomplete data) or the portal's report rejected, with why. */
export interface ManualRecordOutcomeView {
  recordId: number;
  code: string | null;
  reason: string;
}

/** `POST /api/uploads/manual-exports` → 201. */
export interface ManualExportCreatedView {
  batchId: number;
  operation: string;
  count: number;
  /** Records the profile says can never be sent as they are: rejected here, as the worker would. */
  refused: ManualRecordOutcomeView[];
  /** The XLSX import file's URL. */
  file: string;
}

export interface ManualExportView {
  id: number;
  operation: string;
  title: Localized;
  count: number;
  /** exported · accepted · partial · rejected · cancelled */
  outcome: string;
  message: string | null;
  createdAt: number;
  finishedAt: number | null;
  operatorId: number | null;
  /** Where the exported records stand: still awaiting the portal's verdict, or what it was. */
  counts: { manual: number; accepted: number; rejected: number; cancelled: number };
  file: string;
}

/** The portal's verdict brought back (error report or "no errors"). */
export interface ManualSettledView {
  accepted: number;
  rejected: ManualRecordOutcomeView[];
}

export interface ManualCancelledView {
  cancelled: number;
}

/** One saveSaleData call of the Gansu account (`upload_batches`), newest first. */
export interface GansuCallView {
  id: number;
  at: number;
  finishedAt: number | null;
  rows: number;
  /** sending · accepted · partial · refused · unknown · not-sent · interrupted · empty */
  outcome: string;
  /** The platform's result code (200, 402, 453, 454 …; the HTTP status when the body had none). */
  code: number | null;
  /** The platform's msg (with its `data` when it gave one), or why no answer came. */
  message: string | null;
  roundTripMs: number | null;
  /** What this call settled, per row (from the upload ledger). */
  accepted: number;
  rejected: number;
}

/** One getToken call: every saveSaleData needs a fresh one. */
export interface GansuTokenFetchView {
  at: number;
  outcome: 'accepted' | 'refused' | 'not-sent' | 'unknown';
  code: number | null;
  message: string | null;
  roundTripMs: number | null;
}

/** A row the platform (or our own check before sending) refused, with the sale it reports. */
export interface GansuRefusedRowView {
  recordId: number;
  saleId: number | null;
  saleNumber: string | null;
  productName: string | null;
  at: number;
  attempts: number;
  /** platform: a 4xx answer named it; local: the workstation's own check refused to send it. */
  by: 'platform' | 'local';
  code: number | null;
  /** The platform's msg of the call that refused it. */
  platformMessage: string | null;
  /** The problems named for this row (第N行：… without the prefix). */
  problems: string[];
}

/** `GET /api/retail/gansu/uploads`: the Gansu key-variety platform for the session unit. */
export interface GansuMonitorView {
  platform: { mode: 'sandbox' | 'configured'; url: string };
  /** The platform account the unit reports with; null loginId: no credentials, rows keep waiting. */
  account: { loginId: string | null };
  /** The China business day the `today` figures count. */
  day: string;
  rows: { waiting: number; unknown: number; queuedToday: number; acceptedToday: number; rejectedToday: number; rejectedOpen: number };
  calls: GansuCallView[];
  tokens: { today: number; failedToday: number; recent: GansuTokenFetchView[] };
  refused: GansuRefusedRowView[];
  at: number;
}
