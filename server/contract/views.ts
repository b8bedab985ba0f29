import type { ScanEffectView } from './dock.js';
/**
 * Shapes that cross the wire (HTTP JSON and socket.io payloads). The UI imports these as types
 * only; the server builds them from repository rows.
 */

export type Lang = 'zh-CN' | 'en';
export type Localized = Record<Lang, string>;

export type StationKind = 'receiving' | 'dispatch' | 'aggregation' | 'retail' | 'query';
export const STATION_KINDS: readonly StationKind[] = ['receiving', 'dispatch', 'aggregation', 'retail', 'query'];

export interface StationView {
  id: number;
  name: string;
  kind: StationKind;
  createdAt: number;
}

export type ScanDecision = 'accepted' | 'duplicate' | 'rejected';
export type ScanSourceView = 'serial' | 'hid-pos' | 'hid-keyboard' | 'virtual' | 'wedge' | 'manual' | 'http';

/** What the decoder understood (later issues fill more of it). */
export interface DecodedFields {
  kind?: string;
  gtin?: string;
  serial?: string;
  batch?: string;
  expiry?: string;
  productionDate?: string;
  sscc?: string;
  traceCode?: string;
  prefix?: string;
  special?: boolean;
  level?: number;
}

export interface ScanView {
  /** null only for a scan that could not be stored (see reasonCode `storage_failed`). */
  id: number | null;
  stationId: number;
  deviceId: string;
  source: ScanSourceView;
  receivedAt: number;
  recordedAt: number | null;
  /** Decoded text; ASCII 29 (GS) shown as the ␝ symbol by the UI. */
  text: string;
  rawHex: string;
  aim: string | null;
  decision: ScanDecision;
  reasonCode: string | null;
  reason: Localized | null;
  code: string | null;
  fields: DecodedFields | null;
  /** For a duplicate: the id of the first accepted scan of the same code at this station. */
  duplicateOf: number | null;
  /** An accepted scan taken back by a compensating undo event (with its reason). */
  undone: { at: number; reason: string } | null;
  /** Who scanned and for which unit (issue 4: every event carries its operator and unit). */
  operatorId: number | null;
  unitId: number | null;
  /** What an accepted dock scan did (received a case of 10 units, packed into …); null elsewhere. */
  effect: ScanEffectView | null;
}

export interface StationCounters {
  accepted: number;
  duplicate: number;
  rejected: number;
  /** Accepted scans later undone (not counted in `accepted`). */
  undone: number;
}

export type ScannerStateView = 'connecting' | 'online' | 'offline';
export type ScannerTransportView = 'serial' | 'hid-pos' | 'hid-keyboard' | 'virtual';

export interface ScannerStatusView {
  scannerId: number;
  deviceId: string;
  stationId: number;
  transport: ScannerTransportView;
  label: string | null;
  path: string | null;
  state: ScannerStateView;
  reason: string | null;
  lastScanAt: number | null;
  scansPerMinute: number;
  /** When the current state began. */
  since: number;
}

export interface StationSnapshot {
  station: StationView;
  /** Newest first. */
  recent: ScanView[];
  /** Since local midnight. */
  counters: StationCounters;
  scanners: ScannerStatusView[];
  serverTime: number;
}

export interface DeviceView {
  /** Stable id used to bind: `serial:<path>` or `hid:<vid>:<pid>:<serial|path>`. */
  deviceId: string;
  transport: 'serial' | 'hid-pos' | 'hid-keyboard';
  path: string;
  vendorId: string | null;
  productId: string | null;
  manufacturer: string | null;
  product: string | null;
  serialNumber: string | null;
  usagePage: number | null;
  usage: number | null;
  boundTo: { scannerId: number; stationId: number } | null;
}

export interface TransportAvailability {
  available: boolean;
  /** Why it cannot work on this machine (missing library, missing udevadm, permission). */
  reason: string | null;
}

export interface DevicesView {
  devices: DeviceView[];
  transports: { serial: TransportAvailability; hid: TransportAvailability };
}

export interface HealthView {
  status: 'ok';
  version: string;
  uptimeSeconds: number;
  database: 'sqlite' | 'postgres';
  platforms: { nhsa: 'sandbox' | 'configured'; gansu: 'sandbox' | 'configured' };
}
