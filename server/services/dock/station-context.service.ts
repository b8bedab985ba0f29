import type { Knex } from 'knex';
import type { StationContextBody, StationContextView } from '../../contract/dock.js';
import type { StationKind } from '../../contract/views.js';
import { AppError } from '../app-error.js';
import type { DocumentsService } from './documents.service.js';
import { toDocumentView } from './documents.service.js';
import { storedFill } from './aggregate-scan.js';
import { STATION_DIRECTION } from './dock-scans.js';
import type { DockRepos } from './repos.js';

/** What a dock station works on (document, open parent, mode, learn flow), for its screen. */
export class StationContextService {
  constructor(
    private readonly knex: Knex,
    private readonly repos: DockRepos,
    private readonly documents: DocumentsService,
    private readonly now: () => number = Date.now,
  ) {}

  async view(stationId: number): Promise<StationContextView> {
    const c = await this.repos.context.get(this.knex, stationId);
    const doc = c.documentId !== null ? await this.repos.documents.get(this.knex, c.documentId) : undefined;
    return {
      stationId,
      document: doc ? toDocumentView(doc) : null,
      reconciliation: doc ? await this.documents.reconciliation(this.knex, doc) : null,
      mode: c.mode,
      openParent: c.openParent ? await this.openParent(c.openParent) : null,
      learning: c.learnCode,
    };
  }

  /** Stations whose screen shows this document. */
  stationsOn(documentId: number): Promise<number[]> {
    return this.repos.context.stationsOn(this.knex, documentId);
  }

  /** Chooses the document (null: none), the aggregation mode, or closes the open parent. */
  async set(stationId: number, kind: StationKind, unitId: number, body: StationContextBody): Promise<StationContextView> {
    if (body.documentId) {
      const d = await this.documents.require(unitId, body.documentId);
      if (d.direction !== STATION_DIRECTION[kind]) throw new AppError('STATION_KIND_MISMATCH', 409);
    }
    await this.repos.context.update(
      this.knex,
      stationId,
      {
        ...(body.documentId !== undefined ? { documentId: body.documentId } : {}),
        ...(body.mode ? { mode: body.mode } : {}),
        ...(body.closeParent ? { openParent: null } : {}),
        learnCode: null,
      },
      this.now(),
    );
    return this.view(stationId);
  }

  private async openParent(code: string): Promise<StationContextView['openParent']> {
    const p = await this.repos.packs.get(this.knex, code);
    const fill = p ? await storedFill(this.knex, this.repos, code) : undefined;
    return p && fill ? { code, level: p.level, ...fill } : null;
  }
}
