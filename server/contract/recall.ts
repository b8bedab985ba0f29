import { z } from 'zod';
import type { DocumentDirection } from './dock.js';
import type { Localized } from './views.js';

/**
 * Recall report (召回报告, issue 8 item 3): for a product batch or a list of codes, where every unit
 * (一级/小码) of this unit's records is now and how it got here. Errors spread into ERROR_MESSAGES.
 */
export const RECALL_ERRORS = {
  RECALL_SCOPE_REQUIRED: { 'zh-CN': '请选择药品和批号，或粘贴追溯码', en: 'Choose a product and batch, or paste codes' },
  RECALL_TOO_MANY_CODES: { 'zh-CN': '一次最多查询 100 000 个码，请分批查询', en: 'At most 100 000 codes per recall — split the list' },
} as const satisfies Record<string, Localized>;

/** The NHSA portal's own ceiling per export (seeds/002 §四), used for pasted lists too. */
export const RECALL_MAX_CODES = 100_000;

/**
 * Where a unit is now. `returned` / `scrapped` include units shipped on a return-out (202) or
 * destruction (205) document; `not_received` is a code known only from a relation file; `not_found`
 * a listed code this workstation has never heard of.
 */
export const RECALL_STATUSES = ['in_stock', 'locked', 'receiving', 'picking', 'shipped', 'sold', 'returned', 'scrapped', 'not_received', 'not_found'] as const;
export type RecallStatus = (typeof RECALL_STATUSES)[number];

export const RECALL_SORTS = ['code', 'status', 'counterparty', 'document', 'since'] as const;
export type RecallSort = (typeof RECALL_SORTS)[number];

const paging = {
  sort: z.enum(RECALL_SORTS).default('code'),
  dir: z.enum(['asc', 'desc']).default('asc'),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** Paging through rows: skip the summary statements. */
  rowsOnly: z.preprocess((v) => v === true || v === 'true' || v === '1', z.boolean()).default(false),
};
export type RecallPaging = { sort: RecallSort; dir: 'asc' | 'desc'; offset: number; limit: number; rowsOnly: boolean };

/** GET /api/recall?productId=&batch=… (and /api/recall.xlsx). */
export const recallBatchQuery = z
  .object({ productId: z.coerce.number().int().positive(), batch: z.string().trim().min(1).max(60), ...paging })
  .strict();

/** POST /api/recall {codes} (JSON), or the codes one per line as text/plain with the paging in the query. */
export const recallCodesBody = z.object({ codes: z.array(z.string().max(400)).max(RECALL_MAX_CODES * 2), ...paging }).strict();
export const recallPagingQuery = z.object(paging).strict();

export const recallBatchesQuery = z.object({ productId: z.coerce.number().int().positive() }).strict();

export interface RecallParty {
  id: number;
  name: string;
  uscc: string;
}

export interface RecallDocumentRef {
  id: number;
  number: string;
  direction: DocumentDirection;
  type: string;
  status: 'open' | 'completed' | 'cancelled';
}

/** How the unit came to this unit: an inbound document, its own relation import (made here), or unknown. */
export interface RecallOrigin {
  kind: 'received' | 'made' | 'unknown';
  document: { id: number; number: string } | null;
  counterparty: RecallParty | null;
  /** Receipt time, or the relation import's time for `made`. */
  at: number | null;
  importFile: string | null;
}

export interface RecallRowView {
  code: string;
  status: RecallStatus;
  /** When the unit reached its current state. */
  since: number | null;
  product: { id: number; name: string } | null;
  batch: string | null;
  expiry: string | null;
  /** The pack directly around it and the outermost case, when packed (null when loose). */
  parent: string | null;
  outerCase: string | null;
  /** The document it is on or left with (shipped, picking, receiving; the receipt while in stock). */
  document: RecallDocumentRef | null;
  counterparty: RecallParty | null;
  sale: { number: string; at: number } | null;
  /** Lock reason (recall, quarantine). */
  reason: string | null;
  origin: RecallOrigin;
  /** The latest receipt when it differs from the first (came back on a return-in). */
  lastReceipt: { document: { id: number; number: string }; counterparty: RecallParty | null; at: number } | null;
}

/** One counterparty and document with the units concerned: the call list. */
export interface RecallCounterpartyLine {
  direction: 'out' | 'in';
  counterparty: RecallParty;
  document: RecallDocumentRef;
  /** Completion (shipping or receipt) time; null while the document is open. */
  at: number | null;
  status: RecallStatus | null;
  units: number;
}

export interface RecallUnreadable {
  /** 1-based line of the pasted list. */
  line: number;
  text: string;
  reason: Localized;
}

export type RecallScopeView =
  | { kind: 'batch'; product: { id: number; code: string; name: string; spec: string | null; manufacturer: string | null }; batch: string }
  | { kind: 'codes'; listed: number; unreadable: RecallUnreadable[]; unreadableCount: number };

export interface RecallSummaryView {
  units: number;
  byStatus: Record<RecallStatus, number>;
  /** Completed retail sales that sold units of the scope. */
  sales: number;
  origins: { received: number; made: number; unknown: number };
  /** Counterparties that received units (shipped, returned, destroyed, being picked): who must be called. */
  customers: number;
  suppliers: number;
}

export interface RecallView {
  scope: RecallScopeView;
  generatedAt: number;
  /** Null when asked with rowsOnly. */
  summary: RecallSummaryView | null;
  counterparties: RecallCounterpartyLine[] | null;
  rows: RecallRowView[];
  total: number;
  offset: number;
  limit: number;
}

export interface RecallBatchOption {
  batch: string;
  units: number;
}
