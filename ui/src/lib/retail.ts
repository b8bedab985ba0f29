import type { ApiErrorBody } from '../../../server/contract/errors.js';
import type { DifferenceKind, RegisterEntryView, RetailDifference, RetailReconciliation, SaleCategoryName, SaleListView, SaleSummaryView, SaleView, StationSaleView } from '../../../server/contract/retail.js';
import type { ScanView, StationView } from '../../../server/contract/views.js';
import { api, ApiError, errorText } from './api.js';
import { command, socket } from './socket.js';
import { t, i18n } from '../i18n/index.svelte.js';

/**
 * The retail counter's calls and the words for what the server says in codes (categories,
 * needed fields, reconciliation gaps). The page holds the state; this holds no state.
 */

export type { SaleView, SaleCategoryName, SaleListView, SaleSummaryView, ScanView, StationView };

export type { DifferenceKind, RetailDifference, RetailReconciliation };

/** One 专册 entry; the buyer comes masked (张**, 110105********002X). */
export type RegisterEntry = RegisterEntryView;

/** The clear buyer of one entry, for an administrator who gave a reason. */
export interface RegisterReveal {
  buyerName: string | null;
  buyerId: string | null;
}

export const REASON_MIN = 2;
export const REASON_MAX = 200;
export const EXPORT_PASSWORD_MIN = 12;

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
const PHOTO_TYPES = ['image/jpeg', 'image/png'];

const base = (id: number) => `/api/retail/sales/${id}`;

export const retailApi = {
  /** A counter showing a retail station opens the sale on that station (its scanner feeds it). */
  open: (stationId: number | null = null) => api.post<SaleView>('/api/retail/sales', stationId === null ? {} : { stationId }),
  openSales: (offset: number, limit = 10) => api.get<SaleListView>(`/api/retail/sales?status=open&limit=${limit}&offset=${offset}`),
  /** The open sale the station's scanner feeds now (null: none). */
  atStation: (stationId: number) => api.get<StationSaleView>(`/api/retail/stations/${stationId}/sale`).then((r) => r.sale),
  /** Continues an open sale here; with a station, the sale moves onto it (the station's other one is parked). */
  resume: (id: number, stationId: number | null) => api.post<SaleView>(`${base(id)}/resume`, stationId === null ? {} : { stationId }),
  /** Keyboard or wedge input at a counter that is a station: into the scan journal like a scanner's. */
  scanAtStation: (stationId: number, raw: string, source: 'wedge' | 'manual') => api.post<ScanView>(`/api/stations/${stationId}/scans`, { raw, source }),
  retailStations: () => api.get<StationView[]>('/api/stations').then((all) => all.filter((s) => s.kind === 'retail')),
  get: (id: number) => api.get<SaleView>(base(id)),
  addCode: (id: number, code: string) => api.post<SaleView>(`${base(id)}/codes`, { code }),
  removeLine: (id: number, lineId: number) => api.del<SaleView>(`${base(id)}/lines/${lineId}`),
  setBuyer: (id: number, b: { name?: string; idNumber?: string; phone?: string; residence?: string }) => api.put<SaleView>(`${base(id)}/buyer`, b),
  setPrescription: (id: number, p: { number?: string; prescriber?: string; hospital?: string; date?: string }) => api.put<SaleView>(`${base(id)}/prescription`, p),
  complete: (id: number) => api.post<SaleView>(`${base(id)}/complete`, {}),
  cancel: (id: number, reason: string) => api.post<SaleView>(`${base(id)}/cancel`, { reason }),
  photoUrl: (id: number, version: number) => `${base(id)}/prescription/photo?v=${version}`,
  reconciliation: (date: string) => api.get<RetailReconciliation>(`/api/retail/reconciliation?date=${encodeURIComponent(date)}`),
  /** The manager's daily XLSX (buyers masked): a plain link, the browser downloads it. */
  reportUrl: (date: string) => `/api/retail/reconciliation/report?date=${encodeURIComponent(date)}`,
  register: (date: string) => api.get<RegisterEntry[]>(`/api/retail/register?date=${encodeURIComponent(date)}`),
  /** One entry's buyer in clear: administrators only, with a reason the server writes to the audit log. */
  reveal: (entryId: number, reason: string) => api.post<RegisterReveal>(`/api/retail/register/${entryId}/reveal`, { reason }),

  /** The day's register with buyers in clear, encrypted under `password` (OpenSSL format); resolves with the file. */
  async exportRegister(date: string, password: string, reason: string): Promise<Blob> {
    let res: Response;
    try {
      res = await fetch('/api/retail/register/export', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/octet-stream, application/json', 'Accept-Language': i18n.lang },
        body: JSON.stringify({ date, password, reason }),
      });
    } catch {
      throw new ApiError(0, 'NETWORK', t('error.network'));
    }
    if (res.ok) return res.blob();
    const payload = (await res.json().catch(() => null)) as { error?: ApiErrorBody } | null;
    const err = payload?.error;
    if (err) throw new ApiError(res.status, err.code, errorText(err), err);
    throw new ApiError(res.status, 'HTTP_' + res.status, `${res.status} ${res.statusText}`);
  },

  /** The photo goes as the raw body (the server checks type, magic bytes and 5 MB). */
  async uploadPhoto(id: number, file: Blob): Promise<SaleView> {
    if (!PHOTO_TYPES.includes(file.type)) throw new ApiError(400, 'SALE_PHOTO_INVALID', t('retail.rx.photoType'));
    if (file.size > MAX_PHOTO_BYTES) throw new ApiError(413, 'SALE_PHOTO_INVALID', t('retail.rx.photoTooBig'));
    let res: Response;
    try {
      res = await fetch(`${base(id)}/prescription/photo`, { method: 'PUT', headers: { 'Content-Type': file.type, Accept: 'application/json', 'Accept-Language': i18n.lang }, body: file });
    } catch {
      throw new ApiError(0, 'NETWORK', t('error.network'));
    }
    const payload = (await res.json().catch(() => null)) as { error?: ApiErrorBody } | SaleView | null;
    if (res.ok) return payload as SaleView;
    const err = payload && 'error' in payload ? payload.error : undefined;
    if (err) throw new ApiError(res.status, err.code, errorText(err), err);
    throw new ApiError(res.status, 'HTTP_' + res.status, `${res.status} ${res.statusText}`);
  },
};

export const CATEGORIES: readonly SaleCategoryName[] = ['YB', 'YC', 'YD'];

export const categoryLabel = (c: SaleCategoryName): string => t(`retail.cat.${c}`);

export type NeedField = 'buyer.name' | 'buyer.idNumber' | 'buyer.phone' | 'buyer.residence' | 'prescription.number' | 'prescription.prescriber' | 'prescription.hospital' | 'prescription.date' | 'prescription.photoRef';
const NEED_FIELDS: readonly string[] = ['buyer.name', 'buyer.idNumber', 'buyer.phone', 'buyer.residence', 'prescription.number', 'prescription.prescriber', 'prescription.hospital', 'prescription.date', 'prescription.photoRef'];

/** A needed field in words; an unknown one (a newer server) as it came. */
export function needLabel(field: string): string {
  return NEED_FIELDS.includes(field) ? t(`retail.need.${field as NeedField}`) : field;
}

export const needsBuyer = (s: SaleView): boolean => s.evaluation.needs.some((n) => n.startsWith('buyer.'));
export const needsPrescriptionFields = (s: SaleView): boolean => s.evaluation.needs.some((n) => n.startsWith('prescription.') && n !== 'prescription.photoRef');
export const needsPhoto = (s: SaleView): boolean => s.evaluation.needs.includes('prescription.photoRef');
export const needsPrescription = (s: SaleView): boolean => s.evaluation.needs.some((n) => n.startsWith('prescription.'));
export const hasPrescription = (s: SaleView): boolean => {
  const p = s.prescription;
  return p.photo || [p.number, p.prescriber, p.hospital, p.date].some((v) => v !== null && v !== '');
};

export const packsOf = (s: SaleView): number => s.lines.reduce((n, l) => n + l.packs, 0);

/** Why Complete is disabled, in words; null when it may be pressed. */
export function whyNotComplete(s: SaleView): string | null {
  if (s.lines.length === 0) return t('retail.complete.why', { why: t('retail.complete.empty') });
  if (s.evaluation.allowed) return null;
  const parts = [...s.evaluation.needs.map(needLabel), ...s.evaluation.blocks.map((b) => b.message[i18n.lang])];
  return t('retail.complete.why', { why: [...new Set(parts)].join('；') });
}

/** Today's date in China (the business day of a Gansu pharmacy), whatever the PC's zone. */
export function chinaToday(now = Date.now()): string {
  return new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** "YB,YC" → the known categories in order; unknown parts are dropped (the text shows them anyway). */
export function categoriesOf(field: string): SaleCategoryName[] {
  const parts = field.split(/[,，;；\s]+/).map((p) => p.trim().toUpperCase());
  return CATEGORIES.filter((c) => parts.includes(c));
}

/** A time of day in China (HH:MM:SS), whatever the PC's zone. */
export function chinaClock(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(11, 19);
}

/** The file name the encrypted register is saved under, and the command that opens it. */
export const registerFileName = (date: string): string => `register-${date}.xlsx.enc`;
export const opensslCommand = (date: string): string => `openssl enc -d -aes-256-cbc -pbkdf2 -iter 200000 -md sha256 -in ${registerFileName(date)} -out register.xlsx`;

export const differenceLabel = (kind: DifferenceKind): string => t(`retail.recon.kind.${kind}`);

/** Remembered per tab, so a reload keeps the open sale at the counter. */
const OPEN_SALE_KEY = 'tracedock.retail.sale';
export const openSaleMemory = {
  get(): number | null {
    try {
      const v = Number(sessionStorage.getItem(OPEN_SALE_KEY));
      return Number.isInteger(v) && v > 0 ? v : null;
    } catch {
      return null;
    }
  },
  set(id: number | null): void {
    try {
      if (id === null) sessionStorage.removeItem(OPEN_SALE_KEY);
      else sessionStorage.setItem(OPEN_SALE_KEY, String(id));
    } catch {
      // Storage disabled: the sale just is not remembered across a reload.
    }
  },
};

/**
 * Which retail station this counter PC is (its scanner's station), remembered per browser: the
 * counter is a place, not a tab. null: a counter without a station (keyboard and wedge only).
 */
const STATION_KEY = 'tracedock.retail.station';
export const counterStationMemory = {
  get(): number | null {
    try {
      const v = Number(localStorage.getItem(STATION_KEY));
      return Number.isInteger(v) && v > 0 ? v : null;
    } catch {
      return null;
    }
  },
  set(id: number | null): void {
    try {
      if (id === null) localStorage.removeItem(STATION_KEY);
      else localStorage.setItem(STATION_KEY, String(id));
    } catch {
      // Storage disabled: the counter asks again after a reload.
    }
  },
};

/** The sale line a scan went to (a commodity barcode's line is keyed by its EAN-13). */
export function lineOfScan(sale: SaleView, scan: ScanView): SaleView['lines'][number] | undefined {
  const gtin = scan.fields?.gtin;
  const keys = [scan.code, scan.text.trim(), gtin && gtin.length === 14 && gtin.startsWith('0') ? gtin.slice(1) : gtin].filter((k): k is string => !!k);
  return sale.lines.find((l) => keys.includes(l.code));
}

/**
 * Joins the station's room (so its hardware scanner scans as this screen's operator) and hands
 * every scan fact of the station to `on.scan` — after every reconnect too. Returns the leave.
 */
export function watchStationScans(stationId: number, on: { scan: (scan: ScanView) => void; undone: (scan: ScanView) => void; error: (err: unknown) => void }): () => void {
  const join = (): void => void command('station.join', { stationId }).catch(on.error);
  const fact = (scan: ScanView): void => {
    if (scan.stationId === stationId) on.scan(scan);
  };
  const undone = (scan: ScanView): void => {
    if (scan.stationId === stationId) on.undone(scan);
  };
  socket.on('connect', join);
  socket.on('scan.recorded', fact);
  socket.on('scan.rejected', fact);
  socket.on('scan.undone', undone);
  if (socket.connected) join();
  return () => {
    socket.off('connect', join);
    socket.off('scan.recorded', fact);
    socket.off('scan.rejected', fact);
    socket.off('scan.undone', undone);
    if (socket.connected) void command('station.leave', { stationId }).catch(() => {});
  };
}
