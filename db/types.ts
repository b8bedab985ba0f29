/** Typed rows as the rest of the program sees them (camelCase, epoch-ms numbers). */

export type StationKind = 'receiving' | 'dispatch' | 'aggregation' | 'retail' | 'query';

export interface StationRow {
  id: number;
  name: string;
  kind: StationKind;
  createdAt: number;
}

export type ScannerTransport = 'serial' | 'hid-pos' | 'hid-keyboard' | 'virtual';

export interface ScannerRow {
  id: number;
  deviceId: string;
  transport: ScannerTransport;
  path: string | null;
  label: string | null;
  stationId: number;
  /** Transport options (baud rate, suffix, …) as validated JSON. */
  options: Record<string, unknown>;
  enabled: boolean;
  createdAt: number;
}

export type ScanDecision = 'accepted' | 'duplicate' | 'rejected';

/** Where a scan came from: a bound driver, the browser's keyboard-wedge detector, or HTTP. */
export type ScanSource = ScannerTransport | 'wedge' | 'manual' | 'http';

export interface ScanEventRow {
  id: number;
  stationId: number;
  deviceId: string;
  source: ScanSource;
  receivedAt: number;
  recordedAt: number;
  raw: Buffer;
  text: string;
  aim: string | null;
  decision: ScanDecision;
  reasonCode: string | null;
  reason: string | null;
  kind: string | null;
  code: string | null;
  detail: Record<string, unknown> | null;
  /** Who scanned, for which unit: null only for scans recorded before accounts existed. */
  operatorId: number | null;
  unitId: number | null;
  /** Set when a compensating undo event exists for this scan. */
  undone: { at: number; reason: string } | null;
}

export type NewScanEvent = Omit<ScanEventRow, 'id' | 'undone'>;
