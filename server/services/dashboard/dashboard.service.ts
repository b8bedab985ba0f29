import type { Knex } from 'knex';
import { DashboardRepository, type DayScope } from '../../../db/repositories/dashboard.repository.js';
import type { DashboardView } from '../../contract/dashboard.js';
import { chinaDate, chinaDayStart, DAY_MS } from '../../domain/china-time.js';
import * as fold from './fold.js';

/** How many over/short documents the dashboard lists (the counts cover them all). */
export const DOCUMENT_ISSUE_LIMIT = 50;

/**
 * The supervisor's dashboard (issue 8 §5): a China day of the session unit's dock. Each figure is
 * one aggregate statement (db/repositories/dashboard.repository.ts); this service picks the day
 * and shapes the rows. Read-only and cheap enough to poll: the page asks every 15 s.
 */
export class DashboardService {
  private readonly repo = new DashboardRepository();

  constructor(
    private readonly knex: Knex,
    private readonly now: () => number = Date.now,
  ) {}

  async view(unitId: number, date?: string): Promise<DashboardView> {
    const at = this.now();
    const day = date ?? chinaDate(at);
    const from = chinaDayStart(day);
    const s: DayScope = { unitId, from, to: from + DAY_MS };
    const k = this.knex;
    // One after the other: SQLite has one connection, and scans waiting behind a burst of parallel
    // dashboard reads would be the wrong trade.
    const counts = await this.repo.documentCounts(k, s);
    const moves = await this.repo.documentMoves(k, s);
    const cells = await this.repo.scanCells(k, s);
    const reasonRows = await this.repo.reasons(k, s);
    const details = await this.repo.scanDetails(k, reasonRows.map((r) => r.lastScanId));
    const issues = await this.repo.documentIssues(k, s);
    const uploadCells = await this.repo.uploadCells(k, s);

    const scans = fold.stations(cells);
    return {
      date: day,
      from: s.from,
      to: s.to,
      today: day === chinaDate(at),
      receipts: fold.direction('in', counts, moves),
      dispatches: fold.direction('out', counts, moves),
      scans,
      exceptions: {
        duplicates: scans.totals.duplicate,
        rejected: scans.totals.rejected,
        reasons: fold.reasons(reasonRows, details),
        shortDocuments: issues.filter((d) => d.status === 'completed' && d.missing > 0).length,
        overDocuments: issues.filter((d) => d.over > 0 || d.unexpected > 0).length,
        documents: issues.slice(0, DOCUMENT_ISSUE_LIMIT),
        documentsTotal: issues.length,
      },
      uploads: fold.uploads(uploadCells),
      at,
    };
  }
}
