import type { CodePageView, CodeQuerySpec, ExportFormat, ExportView } from '../../../server/contract/queries.js';
import { api } from './api.js';

/** The query as a URL query string: empty fields left out, so the server applies its defaults. */
export function queryString(q: Partial<CodeQuerySpec> & { page?: number; pageSize?: number }): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue;
    p.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  return p.toString();
}

export const queriesApi = {
  page: (q: Partial<CodeQuerySpec> & { page: number; pageSize: number }) => api.get<CodePageView>(`/api/codes?${queryString(q)}`),
  exportAs: (query: Partial<CodeQuerySpec>, format: ExportFormat) => api.post<ExportView>('/api/exports', { query, format }),
  rerun: (id: number) => api.post<ExportView>(`/api/exports/${id}/rerun`, {}),
  fileUrl: (id: number) => `/api/exports/${id}/file`,
};

/** "1.2 MB" for a file size. */
export function fileSize(bytes: number | null): string {
  if (bytes === null) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
