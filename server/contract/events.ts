import type { ReconciliationView, StationContextView } from './dock.js';
import type { Ack } from './errors.js';
import type { UploadSummaryView } from './uploads.js';
import type { ExportProgressView, ExportView } from './queries.js';
import type { ScannerStatusView, ScanView, StationSnapshot } from './views.js';

/** Facts, past tense, server → client. Sent to the room `station:<id>` (and `devices`). */
export interface ServerToClientEvents {
  /** Accepted or duplicate scan, after its transaction committed. */
  'scan.recorded': (scan: ScanView) => void;
  /** Rejected scan (stored with its reason), or one that could not be stored (`id: null`). */
  'scan.rejected': (scan: ScanView) => void;
  'scanner.status': (status: ScannerStatusView) => void;
  /** An accepted scan was undone (the scan, now with `undone` set). */
  'scan.undone': (scan: ScanView) => void;
  /** Live reconciliation of the station's document after scans committed (coalesced). */
  'document.progress': (progress: ReconciliationView) => void;
  /** The station's working context changed (document chosen, parent opened, mode, learn flow). */
  'station.context': (context: StationContextView) => void;
  /** The upload monitor's figures while the outbox drains (room `uploads`, coalesced). */
  'upload.status': (status: UploadSummaryView) => void;
  /** An export job of the unit moved on (room `exports:<unit>`, coalesced; the final state always sent). */
  'export.progress': (progress: ExportProgressView) => void;
}

export interface ScanSubmitPayload {
  stationId: number;
  raw: string;
  /** `wedge`: the browser's keyboard-wedge detector; `manual`: typed by a person. */
  source?: 'wedge' | 'manual';
}

/** Commands, imperative, client → server; each acknowledged with an Ack envelope. */
export interface ClientToServerEvents {
  /** Joins the station's room; answers the full snapshot (send again after every reconnect). */
  'station.join': (payload: { stationId: number }, ack: (r: Ack<StationSnapshot>) => void) => void;
  'station.leave': (payload: { stationId: number }, ack: (r: Ack<null>) => void) => void;
  'scan.submit': (payload: ScanSubmitPayload, ack: (r: Ack<ScanView>) => void) => void;
  /** Takes back an accepted scan of this station, with a reason (a compensating event). */
  'scan.undo': (payload: { stationId: number; scanId: number; reason: string }, ack: (r: Ack<ScanView>) => void) => void;
  /** Locks the station screen: hardware scans there are no longer accepted until someone unlocks. */
  'station.lock': (payload: { stationId: number }, ack: (r: Ack<null>) => void) => void;
  /**
   * Unlocks with an operator badge (scanned) or an operator's PIN; from then on the station's scans
   * carry that operator (who must hold the station's business in the screen's unit).
   */
  'station.unlock': (
    payload: { stationId: number; badge: string } | { stationId: number; operatorId: number; pin: string },
    ack: (r: Ack<{ operatorId: number; displayName: string }>) => void,
  ) => void;
  /** Joins the `devices` room: every scanner's status now, then `scanner.status` deltas. */
  'scanners.watch': (payload: Record<string, never>, ack: (r: Ack<ScannerStatusView[]>) => void) => void;
  /** Joins the session unit's `uploads` room (business `upload`): its summary now, then `upload.status`. */
  'uploads.watch': (payload: Record<string, never>, ack: (r: Ack<UploadSummaryView>) => void) => void;
  /** Leaves the `uploads` room (the monitor page closed). */
  'uploads.unwatch': (payload: Record<string, never>, ack: (r: Ack<null>) => void) => void;
  /** Joins the session unit's `exports` room (business `query`): its export jobs now, then `export.progress`. */
  'exports.watch': (payload: Record<string, never>, ack: (r: Ack<ExportView[]>) => void) => void;
}
