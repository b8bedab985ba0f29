import type { ApiErrorBody } from '../../../server/contract/errors.js';
import type { Page, ProductView } from '../../../server/contract/master-data.js';
import type { RecallBatchOption, RecallCounterpartyLine, RecallRowView, RecallSort, RecallStatus, RecallSummaryView, RecallView } from '../../../server/contract/recall.js';
import { i18n, t } from '../i18n/index.svelte.js';
import { api, ApiError, errorText } from './api.js';

/**
 * The recall report's calls and words. A pasted list goes as text/plain, one code per line: the
 * server's JSON limit holds about 10 000 codes, a recall list may hold 100 000.
 */
export type { RecallBatchOption, RecallCounterpartyLine, RecallRowView, RecallSort, RecallStatus, RecallSummaryView, RecallView };

/** Copy of the contract's order (a value import would pull zod into the bundle); checked below. */
export const RECALL_STATUS_ORDER = ['in_stock', 'locked', 'receiving', 'picking', 'shipped', 'sold', 'returned', 'scrapped', 'not_received', 'not_found'] as const satisfies readonly RecallStatus[];
type Covers<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : false;
const complete: Covers<RecallStatus, (typeof RECALL_STATUS_ORDER)[number]> = true;
void complete;

export type RecallScopeInput = { kind: 'batch'; productId: number; batch: string } | { kind: 'codes'; text: string };

export interface RecallPageParams {
  sort: RecallSort;
  dir: 'asc' | 'desc';
  offset: number;
  limit: number;
  rowsOnly: boolean;
}

export const statusLabel = (s: RecallStatus): string => t(`recall.status.${s}`);

/** Lines that hold something: the count the textarea shows. */
export const codeLines = (text: string): number => text.split('\n').filter((l) => l.trim() !== '').length;

const pagingQuery = (p: RecallPageParams) => new URLSearchParams({ sort: p.sort, dir: p.dir, offset: String(p.offset), limit: String(p.limit), ...(p.rowsOnly ? { rowsOnly: 'true' } : {}) });

async function postText(path: string, text: string, accept: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'text/plain; charset=utf-8', Accept: accept, 'Accept-Language': i18n.lang }, body: text });
  } catch {
    throw new ApiError(0, 'NETWORK', t('error.network'));
  }
  if (res.ok) return res;
  const payload = (await res.json().catch(() => null)) as { error?: ApiErrorBody } | null;
  if (payload?.error) throw new ApiError(res.status, payload.error.code, errorText(payload.error), payload.error);
  throw new ApiError(res.status, 'HTTP_' + res.status, `${res.status} ${res.statusText}`);
}

export const recallApi = {
  products: (q: string) => api.get<Page<ProductView>>(`/api/products?${new URLSearchParams({ q, limit: '8' })}`),
  batches: (productId: number) => api.get<RecallBatchOption[]>(`/api/recall/batches?productId=${productId}`),

  async run(scope: RecallScopeInput, p: RecallPageParams): Promise<RecallView> {
    if (scope.kind === 'batch') return api.get<RecallView>(`/api/recall?${new URLSearchParams({ productId: String(scope.productId), batch: scope.batch })}&${pagingQuery(p)}`);
    return (await (await postText(`/api/recall?${pagingQuery(p)}`, scope.text, 'application/json')).json()) as RecallView;
  },

  /** A batch's file is a plain link: the browser streams it to disk as the server writes it. */
  xlsxUrl: (productId: number, batch: string) => `/api/recall.xlsx?${new URLSearchParams({ productId: String(productId), batch })}`,

  /** A pasted list's file needs the list in the request: fetched, then handed to the browser. */
  async codesXlsx(text: string): Promise<{ blob: Blob; fileName: string }> {
    const res = await postText('/api/recall.xlsx', text, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, application/json');
    const name = /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'recall.xlsx';
    return { blob: await res.blob(), fileName: name };
  },
};

/** Saves a fetched file under its name (the `download` attribute of a temporary link). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
