import type { ApiErrorBody } from '../../../server/contract/errors.js';
import type { CounterpartyType, ImportKind, ImportMode, ImportRejectedBody, ImportReport, PackLevelNo, ProductFlag, ProductView } from '../../../server/contract/master-data.js';
import { i18n, t, type MessageKey } from '../i18n/index.svelte.js';
import { ApiError, errorText } from './api.js';

/*
 * Copies of the contract's lists (server/contract/master-data.ts): a value import would pull zod
 * into the bundle. The check below fails svelte-check if the contract grows a member.
 */
export const COUNTERPARTY_TYPES = ['manufacturer', 'wholesaler', 'hospital', 'pharmacy', 'other'] as const satisfies readonly CounterpartyType[];
export const PRODUCT_FLAGS = ['prescription', 'ephedrine', 'narcoticCompound', 'specialControl', 'noCodeExempt', 'blocked'] as const satisfies readonly ProductFlag[];
export const PACK_LEVELS = [1, 2, 3] as const satisfies readonly PackLevelNo[];

type Covers<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : false;
const complete: [Covers<CounterpartyType, (typeof COUNTERPARTY_TYPES)[number]>, Covers<ProductFlag, (typeof PRODUCT_FLAGS)[number]>] = [true, true];
void complete;

export const counterpartyTypeLabel = (c: CounterpartyType): MessageKey => `counterpartyType.${c}`;
export const flagLabel = (f: ProductFlag): MessageKey => `products.flag.${f}`;
export const levelLabel = (l: PackLevelNo): MessageKey => `products.level.${l}`;

/** The active (else pending) mapping of one kind and level, as the table and the form show it. */
export function codeAt(p: ProductView, kind: 'gtin' | 'prefix', level: PackLevelNo): { value: string; pending: boolean } | null {
  const c = p.codes.find((x) => x.kind === kind && x.level === level && x.status === 'active') ?? p.codes.find((x) => x.kind === kind && x.level === level);
  return c ? { value: c.value, pending: c.status === 'pending' } : null;
}

export const templateUrl = (kind: ImportKind, format: 'xlsx' | 'csv') => `/api/templates/${kind}.${format}`;
export const reportUrl = (id: string) => `/api/imports/${encodeURIComponent(id)}/report.xlsx`;

export interface ImportResult {
  /** False when mode `all` refused the whole file (422 IMPORT_HAS_ERRORS). */
  imported: boolean;
  report: ImportReport;
}

/**
 * Uploads the file itself as the request body (not multipart, not JSON): the server streams it
 * to disk with a size limit and sniffs XLSX from CSV by its bytes.
 */
export async function uploadImport(kind: ImportKind, file: File, mode: ImportMode): Promise<ImportResult> {
  const format = /\.xlsx$/i.test(file.name) ? 'xlsx' : /\.(csv|txt)$/i.test(file.name) ? 'csv' : null;
  const query = new URLSearchParams({ mode, ...(format ? { format } : {}) });
  let res: Response;
  try {
    res = await fetch(`/api/imports/${kind}?${query}`, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Accept-Language': i18n.lang, 'Content-Type': file.type && file.type !== 'application/json' ? file.type : 'application/octet-stream' },
      body: file,
    });
  } catch {
    throw new ApiError(0, 'NETWORK', t('error.network'));
  }
  const payload = (await res.json().catch(() => null)) as { error?: ApiErrorBody; report?: ImportReport } | ImportReport | null;
  if (res.ok && payload && 'total' in payload) return { imported: true, report: payload };
  if (res.status === 422 && payload && 'report' in payload && payload.report) return { imported: false, report: (payload as ImportRejectedBody).report };
  const error = payload && 'error' in payload ? payload.error : undefined;
  if (error) throw new ApiError(res.status, error.code, errorText(error), error);
  throw new ApiError(res.status, 'HTTP_' + res.status, `${res.status} ${res.statusText}`);
}
