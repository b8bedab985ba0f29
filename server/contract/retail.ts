import { z } from 'zod';
import type { Localized } from './views.js';

/** Error codes of the retail counter. Spread into ERROR_MESSAGES. */
export const RETAIL_ERRORS = {
  SALE_NOT_FOUND: { 'zh-CN': '销售单不存在', en: 'No such sale' },
  SALE_CLOSED: { 'zh-CN': '销售单已完成或已作废', en: 'The sale is completed or cancelled' },
  SALE_EMPTY: { 'zh-CN': '销售单还没有药品', en: 'Nothing has been added to the sale yet' },
  SALE_BLOCKED: { 'zh-CN': '这笔销售不符合销售规则，不能完成', en: 'The sale breaks a sale rule and cannot be completed' },
  SALE_CODE_REFUSED: { 'zh-CN': '这个码不能销售', en: 'This code cannot be sold' },
  SALE_LINE_NOT_FOUND: { 'zh-CN': '销售明细不存在', en: 'No such line on the sale' },
  SALE_PHOTO_INVALID: { 'zh-CN': '处方照片须为 JPEG 或 PNG，且不超过 5 MB', en: 'The prescription photo must be a JPEG or PNG of at most 5 MB' },
  RETAIL_RULES_INVALID: { 'zh-CN': '销售规则表有误', en: 'The sale rule table is invalid' },
  SALE_STATION_NOT_RETAIL: { 'zh-CN': '这个工位不是零售柜台，不能在这里销售', en: 'This station is not a retail counter; sales happen at retail stations only' },
} as const satisfies Record<string, Localized>;

export type SaleCategoryName = 'YB' | 'YC' | 'YD';

export const addSaleCodeBody = z.object({ code: z.string().trim().min(1).max(100) }).strict();
export const saleBuyerBody = z
  .object({ name: z.string().trim().max(300).optional(), idNumber: z.string().trim().max(40).optional(), phone: z.string().trim().max(40).optional(), residence: z.string().trim().max(300).optional() })
  .strict();
export const salePrescriptionBody = z
  .object({ number: z.string().trim().max(60).optional(), prescriber: z.string().trim().max(100).optional(), hospital: z.string().trim().max(200).optional(), date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() })
  .strict();
export const cancelSaleBody = z.object({ reason: z.string().trim().min(2).max(500) }).strict();
export const openSaleBody = z.object({ stationId: z.number().int().positive().optional() }).strict();
/** Puts an open sale on a retail station (its scanner feeds it from then on); without a station: just opens it. */
export const resumeSaleBody = z.object({ stationId: z.number().int().positive().optional() }).strict();
export const SALE_STATUSES = ['open', 'completed', 'cancelled'] as const;
export const saleListQuery = z
  .object({
    status: z.enum(SALE_STATUSES).default('open'),
    stationId: z.coerce.number().int().positive().optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
export type SaleListQuery = z.infer<typeof saleListQuery>;
export type SaleBuyerBody = z.infer<typeof saleBuyerBody>;
export type SalePrescriptionBody = z.infer<typeof salePrescriptionBody>;

export interface SaleViolationView {
  ruleId: string;
  code: string;
  action: 'block' | 'warn';
  lines: number[];
  message: Localized;
  reference?: string;
}

export interface SaleLineView {
  id: number;
  code: string;
  traceable: boolean;
  productId: number;
  productName: string;
  categories: SaleCategoryName[];
  packs: number;
  batch: string | null;
}

export interface SaleView {
  id: number;
  number: string;
  status: 'open' | 'completed' | 'cancelled';
  stationId: number | null;
  lines: SaleLineView[];
  /** Masked on screen (张**, 110105********002X, 139****5678): the full values stay encrypted. */
  buyer: { name: string | null; idNumber: string | null; phone: string | null; residence: string | null } | null;
  prescription: { number: string | null; prescriber: string | null; hospital: string | null; date: string | null; photo: boolean };
  /** What the rule table says about the sale as it stands (live while it is open). */
  evaluation: { allowed: boolean; blocks: SaleViolationView[]; warnings: SaleViolationView[]; needs: string[] };
  ruleSetId: number | null;
  createdAt: number;
  completedAt: number | null;
}

/** One line of `GET /api/retail/sales` (no buyer: a list shows no personal data at all). */
export interface SaleSummaryView {
  id: number;
  number: string;
  status: 'open' | 'completed' | 'cancelled';
  stationId: number | null;
  stationName: string | null;
  lines: number;
  packs: number;
  categories: SaleCategoryName[];
  /** Display name of the operator who opened it. */
  createdBy: string | null;
  createdAt: number;
  completedAt: number | null;
}

export interface SaleListView {
  items: SaleSummaryView[];
  total: number;
  limit: number;
  offset: number;
}

/** `GET /api/retail/stations/:id/sale`: the open sale a retail station's scanner feeds now. */
export interface StationSaleView {
  stationId: number;
  sale: SaleView | null;
}

export interface RetailRulesView {
  id: number | null;
  rules: unknown;
  createdAt: number | null;
}

/** One gap of the day's 对账 (`GET /api/retail/reconciliation`). */
export type DifferenceKind = 'row_missing' | 'row_not_accepted' | 'register_missing' | 'register_quantity';

export interface RetailDifference {
  saleId: number;
  saleNumber: string;
  productId: number;
  productName: string;
  kind: DifferenceKind;
  /** The outbox row's state and the platform's message, when there is a row. */
  state: string | null;
  message: string | null;
  saleQuantity: number;
  registerQuantity: number | null;
}

export interface RetailReconciliation {
  date: string;
  unitId: number;
  sales: number;
  /** Key-variety rows the day's sales owe the platform (one per sale and product). */
  expectedRows: number;
  acceptedRows: number;
  registerEntries: number;
  differences: RetailDifference[];
}


/** One 专册 entry (`GET /api/retail/register`). */
export interface RegisterEntryView {
  id: number;
  saleId: number;
  saleNumber: string;
  at: number;
  categories: string;
  drugName: string;
  spec: string | null;
  manufacturer: string | null;
  approvalNo: string | null;
  batch: string | null;
  quantity: number;
  /** Masked: 张**, 110105********002X — the clear values need an administrator and a logged reason. */
  buyerName: string | null;
  buyerId: string | null;
}
