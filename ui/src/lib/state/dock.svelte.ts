import type { DocumentDetailView, ReconciliationView, StationContextView } from '../../../../server/contract/dock.js';
import { socket } from '../socket.js';
import { api, describeError } from '../api.js';

/**
 * A dock station's working context (document, live reconciliation, open parent, learn flow). The
 * server pushes `station.context` after every dock scan and right after `station.join`, and
 * `document.progress` with the recount; HTTP answers of our own changes are applied too.
 */
export class DockStore {
  context = $state.raw<StationContextView | null>(null);
  loaded = $state(false);
  error = $state<string | null>(null);

  constructor(readonly stationId: number) {}

  get reconciliation(): ReconciliationView | null {
    return this.context?.reconciliation ?? null;
  }

  private readonly onContext = (c: StationContextView): void => {
    if (c.stationId !== this.stationId) return;
    this.context = c;
    this.loaded = true;
    this.error = null;
  };

  private readonly onProgress = (p: ReconciliationView): void => {
    const c = this.context;
    if (!c?.document || c.document.id !== p.documentId) return;
    this.context = { ...c, reconciliation: p, document: { ...c.document, status: p.status } };
  };

  private async run(work: () => Promise<StationContextView>): Promise<void> {
    try {
      this.onContext(await work());
    } catch (err) {
      this.error = describeError(err);
      throw err;
    }
  }

  /** Fetches the context (the screen also gets it pushed after joining the room). */
  async refresh(): Promise<void> {
    await this.run(() => api.get<StationContextView>(`/api/stations/${this.stationId}/context`));
  }

  /** Chooses the station's document; null leaves it without one. */
  async chooseDocument(documentId: number | null): Promise<void> {
    await this.run(() => api.post<StationContextView>(`/api/stations/${this.stationId}/context`, { documentId }));
  }

  async setMode(mode: 'pack' | 'unpack'): Promise<void> {
    await this.run(() => api.post<StationContextView>(`/api/stations/${this.stationId}/context`, { mode }));
  }

  async closeParent(): Promise<void> {
    await this.run(() => api.post<StationContextView>(`/api/stations/${this.stationId}/context`, { closeParent: true }));
  }

  /** Completes the current document; throws ApiError DOCUMENT_INCOMPLETE when items are missing. */
  async complete(acceptShort: boolean): Promise<DocumentDetailView> {
    const doc = this.context?.document;
    if (!doc) throw new Error('no document');
    const detail = await api.post<DocumentDetailView>(`/api/documents/${doc.id}/complete`, { acceptShort });
    const c = this.context;
    if (c?.document?.id === doc.id) this.context = { ...c, document: detail.document, reconciliation: detail.reconciliation };
    return detail;
  }

  start(): () => void {
    socket.on('station.context', this.onContext);
    socket.on('document.progress', this.onProgress);
    return () => {
      socket.off('station.context', this.onContext);
      socket.off('document.progress', this.onProgress);
    };
  }
}
