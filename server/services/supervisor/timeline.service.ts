import type { Knex } from 'knex';
import { TimelineRepository, type ChainNode, type TimelineRow, type UploadTimelineRow } from '../../../db/repositories/timeline.repository.js';
import { CodeCardRepository } from '../../../db/repositories/code-card.repository.js';
import type { DocumentDirection } from '../../contract/dock.js';
import { toCodeView } from '../dock/code-view.js';
import { AppError } from '../app-error.js';
import type { CodeTimelineView, TimelineEvent, TimelineNode } from '../../contract/timeline.js';
import { canonicalCode } from './canonical-code.js';

const CHILDREN_PAGE = 50;

const base = (at: number, source: TimelineEvent['source'], kind: string): TimelineEvent => ({
  at,
  source,
  kind,
  fromState: null,
  toState: null,
  via: null,
  document: null,
  operator: null,
  station: null,
  unit: null,
  scanId: null,
  parent: null,
  count: null,
  reason: null,
  upload: null,
  ref: null,
});

const node = (n: ChainNode): TimelineNode => ({ code: n.code, level: n.level, state: n.state, batch: n.batch });

/** "Where has this box been": one code's whole life at the unit, and the hierarchy around it. */
export class TimelineService {
  private readonly repo = new TimelineRepository();
  private readonly cards = new CodeCardRepository();

  constructor(private readonly knex: Knex) {}

  async timeline(unitId: number, input: string): Promise<CodeTimelineView> {
    const code = canonicalCode(input);
    const k = this.knex;
    const [chain, card] = await Promise.all([this.repo.chain(k, unitId, code), this.cards.card(k, unitId, code)]);
    if (!card.known) throw new AppError('CODE_NOT_FOUND', 404);
    const ancestors = chain.filter((n) => n.code !== code);
    const lineage = [code, ...ancestors.map((a) => a.code)];
    const self = chain.find((n) => n.code === code);
    const [moves, packs, children, scans, uploads, below, imported] = await Promise.all([
      this.repo.movements(k, unitId, code),
      this.repo.packEvents(k, unitId, lineage),
      this.repo.childEvents(k, unitId, code),
      this.repo.refusedScans(k, unitId, code),
      this.repo.uploads(k, unitId, lineage),
      this.repo.below(k, unitId, code, CHILDREN_PAGE),
      self?.importId != null ? this.repo.importOf(k, self.importId) : Promise.resolve(undefined),
    ]);
    const events: TimelineEvent[] = [
      ...(imported ? [{ ...base(imported.at, 'import', 'imported'), operator: imported.operator, unit: imported.unit, ref: imported.fileName }] : []),
      ...moves.map((m) => this.movement(m, code)),
      ...packs.map((p) => ({ ...this.withWho(base(p.at, 'pack', p.kind), p), parent: p.parentCode, via: p.code !== code ? p.code : null, reason: p.reason })),
      ...children.map((c) => ({ ...this.withWho(base(c.at, 'children', c.kind), c), count: c.count, reason: c.reason })),
      ...scans.map((s) => ({ ...this.withWho(base(s.at, 'scan', s.kind), s), reason: s.reason })),
      ...uploads.map((u) => this.upload(u, code)),
    ];
    // Stable order: time, then the order sources happen in within one instant (a scan, then its upload).
    const rank: Record<TimelineEvent['source'], number> = { import: 0, scan: 1, pack: 2, children: 2, movement: 3, upload: 4 };
    events.sort((a, b) => a.at - b.at || rank[a.source] - rank[b.source]);
    const view = toCodeView(code, card, { children: below.childrenTotal, units: below.perLevel.find((l) => l.level === 1)?.count ?? 0 });
    return {
      code,
      view,
      tree: { ancestors: ancestors.map(node), descendants: below.perLevel, children: below.children.map(node), childrenTotal: below.childrenTotal },
      events,
    };
  }

  private withWho(e: TimelineEvent, r: TimelineRow): TimelineEvent {
    return { ...e, operator: r.operator, station: r.station, unit: r.unit, scanId: r.scanId };
  }

  private movement(m: TimelineRow, code: string): TimelineEvent {
    const e = this.withWho(base(m.at, 'movement', m.kind), m);
    return {
      ...e,
      fromState: m.fromState,
      toState: m.toState,
      via: m.scanCode && m.scanCode !== code ? m.scanCode : null,
      document:
        m.documentId !== null
          ? {
              id: m.documentId,
              number: m.documentNumber ?? '',
              direction: (m.direction ?? 'in') as DocumentDirection,
              counterparty: m.counterpartyName !== null ? { name: m.counterpartyName, uscc: m.counterpartyUscc ?? '' } : null,
            }
          : null,
      // A sale's movement carries the sale number; the others a person's reason (undo, lock).
      ref: m.kind === 'sale' ? m.reason : null,
      reason: m.kind === 'sale' ? null : m.reason,
    };
  }

  private upload(u: UploadTimelineRow, code: string): TimelineEvent {
    return {
      ...base(u.at, 'upload', u.event),
      operator: u.operator,
      via: u.code !== null && u.code !== code ? u.code : null,
      upload: { platform: u.platform, operation: u.operation, recordId: u.recordId, batchId: u.batchId, httpStatus: u.httpStatus, message: u.message },
    };
  }
}
