import { z } from 'zod';
import type { Localized, StationKind } from './views.js';

/**
 * The supervisor's dashboard (看板, issue 8 §5): one day of the session unit's dock at a glance.
 * Days are China days (UTC+8), like the platforms' and the registers'.
 */

/** A real calendar date: 2026-02-30 matches the pattern but is no day at all. */
const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === d;
  }, 'not a calendar date');

/** `GET /api/dashboard?date=YYYY-MM-DD` — no date: today in China. */
export const dashboardQuery = z.object({ date: calendarDate.optional() }).strict();
export type DashboardQuery = z.infer<typeof dashboardQuery>;

/** Decisions as the station counters show them: an accepted scan later taken back is `undone`. */
export const SCAN_OUTCOMES = ['accepted', 'duplicate', 'rejected', 'undone'] as const;
export type ScanOutcome = (typeof SCAN_OUTCOMES)[number];
export type ScanOutcomeCounts = Record<ScanOutcome, number>;

/** Receipts (`in`) or dispatches (`out`) of the day. */
export interface DashboardDirectionView {
  direction: 'in' | 'out';
  /** Documents completed during the day. */
  completed: number;
  /** Documents open at the end of the day (for today: open now). */
  open: number;
  cancelled: number;
  /** Documents created during the day (whatever became of them). */
  created: number;
  /** Trace codes scanned onto this direction's documents during the day, net of undone scans (a case is one code). */
  scannedCodes: number;
  /** The smallest sale units those codes stand for (a case of 10 → 10). */
  scannedUnits: number;
  /** Units taken into stock (in) or shipped (out) by the day's completions. */
  completedUnits: number;
}

export interface DashboardStationView {
  stationId: number;
  name: string;
  kind: StationKind;
  totals: ScanOutcomeCounts;
  /** 24 entries, hour 0 = 00:00–01:00 China time. */
  hours: ScanOutcomeCounts[];
}

export interface DashboardReasonView {
  decision: 'duplicate' | 'rejected';
  reasonCode: string;
  count: number;
  /** The latest such scan's message, in both languages (names a code: an example, not a label). */
  example: Localized | null;
  lastScanId: number;
}

/** A document of the day whose content does not match what it expected. */
export interface DashboardDocumentIssueView {
  documentId: number;
  number: string;
  direction: 'in' | 'out';
  status: 'open' | 'completed';
  counterpartyName: string;
  expected: number;
  received: number;
  /** Units expected but not moved: a shortage once completed (完成时短少), still to come while open. */
  missing: number;
  /** Units over a product line's quantity. */
  over: number;
  /** Units matching no expected code and no product line. */
  unexpected: number;
  at: number;
}

export interface DashboardUploadOperationView {
  operation: string;
  pending: number;
  sending: number;
  unknown: number;
  manual: number;
  rejected: number;
}

export interface DashboardUploadPlatformView {
  platform: 'nhsa' | 'gansu';
  /** Not yet settled by the platform: pending + sending + unknown. */
  waiting: number;
  pending: number;
  sending: number;
  unknown: number;
  /** Exported for the portal, its verdict not yet brought back. */
  manual: number;
  /** Refused by the platform and not yet retried or skipped. */
  rejected: number;
  /** Of those, refused during the day. */
  rejectedToday: number;
  oldestWaitingAt: number | null;
  operations: DashboardUploadOperationView[];
}

export interface DashboardView {
  date: string;
  /** The day as epoch ms: [from, to). */
  from: number;
  to: number;
  /** Whether `date` is today (figures still moving). */
  today: boolean;
  receipts: DashboardDirectionView;
  dispatches: DashboardDirectionView;
  scans: { totals: ScanOutcomeCounts; stations: DashboardStationView[] };
  exceptions: {
    duplicates: number;
    rejected: number;
    reasons: DashboardReasonView[];
    /** Completed short during the day. */
    shortDocuments: number;
    /** Over or unexpected content (open at the day's end or completed during it). */
    overDocuments: number;
    /** The latest 50 of them; `documentsTotal` counts all. */
    documents: DashboardDocumentIssueView[];
    documentsTotal: number;
  };
  /** Where the outbox stands now (not per day: a backlog is a backlog). */
  uploads: DashboardUploadPlatformView[];
  at: number;
}
