import type { Page } from '../../../../server/contract/master-data.js';
import { api, describeError } from '../api.js';
import { t } from '../../i18n/index.svelte.js';
import { upsertBy } from '../upsert.js';

/**
 * A searchable, paged master-data list with one row open for editing — the state the products and
 * counterparties pages share. `path` is the list endpoint (`/api/products`).
 */
export class PagedList<T extends { id: number }> {
  readonly limit = 50;
  page = $state.raw<Page<T>>({ items: [], total: 0 });
  q = $state('');
  offset = $state(0);
  error = $state<string | null>(null);
  loaded = $state(false);
  editingId = $state<number | null>(null);
  readonly editing = $derived(this.page.items.find((x) => x.id === this.editingId) ?? null);

  constructor(private readonly path: string) {
    $effect(() => {
      void this.offset;
      void this.load();
    });
  }

  async load(): Promise<void> {
    try {
      const query = new URLSearchParams({ limit: String(this.limit), offset: String(this.offset), ...(this.q.trim() ? { q: this.q.trim() } : {}) });
      this.page = await api.get<Page<T>>(`${this.path}?${query}`);
      this.error = null;
    } catch (err) {
      this.error = t('common.loadFailed', { message: describeError(err) });
    } finally {
      this.loaded = true;
    }
  }

  /** A new search starts from the first page (changing the offset reloads by itself). */
  search = (ev: SubmitEvent): void => {
    ev.preventDefault();
    if (this.offset === 0) void this.load();
    else this.offset = 0;
  };

  saved = (row: T): void => {
    this.page = { ...this.page, items: upsertBy(this.page.items, row, (x) => x.id) };
  };

  toggle = (id: number): void => {
    this.editingId = this.editingId === id ? null : id;
  };
}
