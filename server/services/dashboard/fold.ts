import type { DirectionCountsRow, DirectionMovesRow, ReasonRow, ScanCellRow, UploadCellRow } from '../../../db/repositories/dashboard.repository.js';
import type {
  DashboardDirectionView,
  DashboardReasonView,
  DashboardStationView,
  DashboardUploadOperationView,
  DashboardUploadPlatformView,
  ScanOutcomeCounts,
} from '../../contract/dashboard.js';
import type { Localized, StationKind } from '../../contract/views.js';

/** Pure shaping of the repository's grouped rows into the dashboard's views. */

export const zeroOutcomes = (): ScanOutcomeCounts => ({ accepted: 0, duplicate: 0, rejected: 0, undone: 0 });

export function direction(dir: 'in' | 'out', counts: DirectionCountsRow[], moves: DirectionMovesRow[]): DashboardDirectionView {
  const c = counts.find((r) => r.direction === dir);
  const m = moves.find((r) => r.direction === dir);
  return {
    direction: dir,
    completed: c?.completed ?? 0,
    open: c?.open ?? 0,
    cancelled: c?.cancelled ?? 0,
    created: c?.created ?? 0,
    scannedCodes: m?.scannedCodes ?? 0,
    scannedUnits: m?.scannedUnits ?? 0,
    completedUnits: m?.completedUnits ?? 0,
  };
}

/** Station × hour × outcome cells → one row per station with 24 hours, busiest station first. */
export function stations(cells: ScanCellRow[]): { totals: ScanOutcomeCounts; stations: DashboardStationView[] } {
  const totals = zeroOutcomes();
  const byId = new Map<number, DashboardStationView>();
  for (const c of cells) {
    let st = byId.get(c.stationId);
    if (!st) {
      st = { stationId: c.stationId, name: c.stationName, kind: c.stationKind as StationKind, totals: zeroOutcomes(), hours: Array.from({ length: 24 }, zeroOutcomes) };
      byId.set(c.stationId, st);
    }
    st.hours[c.hour]![c.outcome] += c.n;
    st.totals[c.outcome] += c.n;
    totals[c.outcome] += c.n;
  }
  const sum = (t: ScanOutcomeCounts) => t.accepted + t.duplicate + t.rejected + t.undone;
  return { totals, stations: [...byId.values()].sort((a, b) => sum(b.totals) - sum(a.totals) || a.stationId - b.stationId) };
}

/** A stored scan's localized reason (`detail.reason`), or its zh-CN text when that is all there is. */
function reasonOf(detail: string | null): Localized | null {
  if (!detail) return null;
  try {
    const r = (JSON.parse(detail) as { reason?: Partial<Localized> }).reason;
    return r?.['zh-CN'] && r.en ? { 'zh-CN': r['zh-CN'], en: r.en } : null;
  } catch {
    return null;
  }
}

export function reasons(rows: ReasonRow[], details: Map<number, string | null>): DashboardReasonView[] {
  return rows.map((r) => ({ decision: r.decision, reasonCode: r.reasonCode, count: r.n, example: reasonOf(details.get(r.lastScanId) ?? null), lastScanId: r.lastScanId }));
}

const PLATFORMS = ['nhsa', 'gansu'] as const;

/** Both platforms always appear (a zero is news too), each with its operations by name. */
export function uploads(cells: UploadCellRow[]): DashboardUploadPlatformView[] {
  return PLATFORMS.map((platform) => {
    const mine = cells.filter((c) => c.platform === platform);
    const ops = new Map<string, DashboardUploadOperationView>();
    const p: DashboardUploadPlatformView = { platform, waiting: 0, pending: 0, sending: 0, unknown: 0, manual: 0, rejected: 0, rejectedToday: 0, oldestWaitingAt: null, operations: [] };
    for (const c of mine) {
      const op = ops.get(c.operation) ?? { operation: c.operation, pending: 0, sending: 0, unknown: 0, manual: 0, rejected: 0 };
      op[c.state] += c.n;
      ops.set(c.operation, op);
      p[c.state] += c.n;
      if (c.state === 'rejected') p.rejectedToday += c.inDay;
      if (c.state === 'pending' || c.state === 'sending' || c.state === 'unknown') p.oldestWaitingAt = Math.min(p.oldestWaitingAt ?? Infinity, c.oldest);
    }
    p.waiting = p.pending + p.sending + p.unknown;
    p.operations = [...ops.values()].sort((a, b) => a.operation.localeCompare(b.operation));
    return p;
  });
}
