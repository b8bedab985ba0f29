import { EventEmitter } from 'node:events';
import type { StationContextView } from './contract/dock.js';
import type { ScannerStatusView, ScanView } from './contract/views.js';
import type { ExportProgressView } from './contract/queries.js';

/**
 * In-process domain events, emitted by services only after their transaction committed. The
 * socket layer (and later the upload worker) subscribe; services never know who listens.
 */
export interface DomainEvents {
  'scan.recorded': [ScanView];
  'scan.rejected': [ScanView];
  /** An accepted scan was taken back (compensating event committed). */
  'scan.undone': [ScanView];
  'scanner.status': [ScannerStatusView];
  /** A session was logged out: its live connections must end too. */
  'session.ended': [number];
  'station.context': [StationContextView];
  /** Upload records changed state (a call settled, records were queued): monitors refresh. */
  'uploads.changed': [];
  /** An export job moved on (rows written, finished, failed), for its unit's `exports` room. */
  'export.progress': [number, ExportProgressView];
}

export class DomainEventBus extends EventEmitter<DomainEvents> {}
