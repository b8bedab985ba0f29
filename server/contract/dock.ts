import { z } from 'zod';
import type { Localized } from './views.js';

/** Error codes of documents, code states and aggregation. Spread into ERROR_MESSAGES. */
export const DOCK_ERRORS = {
  DOCUMENT_NOT_FOUND: { 'zh-CN': '单据不存在', en: 'No such document' },
  DOCUMENT_NUMBER_TAKEN: { 'zh-CN': '本单位已有相同单号的单据', en: 'This unit already has a document with this number' },
  DOCUMENT_TYPE_INVALID: { 'zh-CN': '单据类型与收发方向不符', en: 'The document type does not match its direction' },
  DOCUMENT_CLOSED: { 'zh-CN': '单据已完成或已作废，不能再修改', en: 'The document is completed or cancelled and cannot change' },
  DOCUMENT_INCOMPLETE: { 'zh-CN': '单据还有未扫到的货品；确认短缺后才能完成', en: 'Items are still missing; confirm the shortage to complete' },
  DOCUMENT_EMPTY: { 'zh-CN': '单据还没有扫到任何追溯码', en: 'No code has been scanned on this document yet' },
  EXPECTED_INVALID: { 'zh-CN': '预期内容有误', en: 'The expected content is invalid' },
  COUNTERPARTY_REQUIRED: { 'zh-CN': '请选择往来单位', en: 'Choose the counterparty' },
  STATION_KIND_MISMATCH: { 'zh-CN': '该工位类型不能办理这种单据', en: 'This kind of station cannot work on this document' },
  CODE_NOT_FOUND: { 'zh-CN': '本单位没有这个追溯码的记录', en: 'This unit has no record of this code' },
  MAPPING_NOT_FOUND: { 'zh-CN': '该映射申请不存在', en: 'No such mapping request' },
  MAPPING_DECIDED: { 'zh-CN': '该映射申请已处理', en: 'This mapping request was already decided' },
  MAPPING_TAKEN: { 'zh-CN': '该前缀或商品码已对应其他药品', en: 'This prefix or commodity code already maps to another product' },
  CODE_NOT_IN_STOCK: { 'zh-CN': '只有在库的追溯码可以锁定', en: 'Only codes in stock can be locked' },
  CODE_NOT_LOCKED: { 'zh-CN': '该追溯码未被锁定', en: 'This code is not locked' },
  PACK_NOT_PACKED: { 'zh-CN': '该包装没有装在任何箱中', en: 'This pack is not inside any other pack' },
} as const satisfies Record<string, Localized>;

export type DocumentDirection = 'in' | 'out';
export type DocumentStatus = 'open' | 'completed' | 'cancelled';
export type CodeStateName = 'receiving' | 'in_stock' | 'picking' | 'shipped' | 'returned' | 'scrapped' | 'locked' | 'sold';

/** Industry document types (DOMAIN.md §4): inbound 1xx, outbound 2xx. */
export const DOCUMENT_TYPES = {
  in: { '102': { 'zh-CN': '采购入库', en: 'Purchase' }, '103': { 'zh-CN': '退货入库', en: 'Return in' }, '104': { 'zh-CN': '调拨入库', en: 'Transfer in' }, '106': { 'zh-CN': '零头入库', en: 'Remnant in' } },
  out: {
    '201': { 'zh-CN': '销售出库', en: 'Sale' },
    '202': { 'zh-CN': '退货出库', en: 'Return out' },
    '203': { 'zh-CN': '调拨出库', en: 'Transfer out' },
    '205': { 'zh-CN': '销毁出库', en: 'Destruction' },
    '207': { 'zh-CN': '直调出库', en: 'Direct shipment' },
  },
} as const satisfies Record<DocumentDirection, Record<string, Localized>>;

const text = (max: number) => z.string().trim().min(1).max(max);

/** Expected content: codes (a case stands for its units) and/or product lines with unit quantities. */
export const expectedBody = z
  .object({
    codes: z.array(text(100)).max(100_000).optional(),
    lines: z
      .array(
        z.object({ productId: z.number().int().positive().optional(), productCode: text(60).optional(), quantity: z.number().int().positive().max(10_000_000), batch: text(60).optional() }).refine((l) => l.productId !== undefined || l.productCode !== undefined, { message: 'productId or productCode' }),
      )
      .max(10_000)
      .optional(),
  })
  .strict();
export type ExpectedBody = z.infer<typeof expectedBody>;

export const createDocumentBody = z
  .object({
    direction: z.enum(['in', 'out']),
    number: text(60),
    type: z.string().regex(/^\d{3}$/),
    counterpartyId: z.number().int().positive(),
    deliveryNote: text(60).optional(),
    /** Make it the station's current document right away. */
    stationId: z.number().int().positive().optional(),
    expected: expectedBody.optional(),
  })
  .strict();
export type CreateDocumentBody = z.infer<typeof createDocumentBody>;

export const completeDocumentBody = z.object({ acceptShort: z.boolean().default(false) }).strict();
export const cancelDocumentBody = z.object({ reason: text(200) }).strict();
export const documentListQuery = z.object({ direction: z.enum(['in', 'out']).optional(), status: z.enum(['open', 'completed', 'cancelled']).optional(), q: z.string().max(60).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) });

export const stationContextBody = z
  .object({ documentId: z.number().int().positive().nullable().optional(), mode: z.enum(['pack', 'unpack']).optional(), closeParent: z.literal(true).optional() })
  .strict();
export type StationContextBody = z.infer<typeof stationContextBody>;

export const learnBody = z.object({ traceCode: text(100), gtin: z.string().regex(/^\d{8,14}$/), productId: z.number().int().positive().optional() }).strict();
export const decideMappingBody = z.object({ approve: z.boolean(), note: z.string().max(200).optional() }).strict();
export const unpackBody = z.object({ reason: text(200) }).strict();
export const lockBody = z.object({ reason: text(200) }).strict();

export interface CounterpartyRef {
  id: number;
  name: string;
  uscc: string;
}

export interface DocumentView {
  id: number;
  unitId: number;
  direction: DocumentDirection;
  number: string;
  type: string;
  typeLabel: Localized;
  counterparty: CounterpartyRef;
  deliveryNote: string | null;
  status: DocumentStatus;
  createdAt: number;
  completedAt: number | null;
  hasExpected: boolean;
}

export interface ReconciliationLine {
  lineId: number;
  lineNo: number;
  /** An expected-code line (a case stands for its units) or a product line. */
  code: string | null;
  productId: number | null;
  productName: string | null;
  batch: string | null;
  expected: number;
  received: number;
  missing: number;
  over: number;
}

/** Live reconciliation of one document, counted in units (一级/小码). */
export interface ReconciliationView {
  documentId: number;
  status: DocumentStatus;
  expected: number;
  received: number;
  unexpected: number;
  missing: number;
  /** Everything expected has arrived and nothing else (no missing, no over). */
  complete: boolean;
  lines: ReconciliationLine[];
  /** A sample (at most 50) of the expected unit codes not yet scanned. */
  missingCodes: string[];
  /** A sample (at most 50) of unit codes scanned that were not expected. */
  unexpectedCodes: string[];
}

export interface OpenParentView {
  code: string;
  level: number;
  filled: number;
  capacity: number | null;
  partial: boolean;
}

export interface StationContextView {
  stationId: number;
  document: DocumentView | null;
  reconciliation: ReconciliationView | null;
  mode: 'pack' | 'unpack';
  openParent: OpenParentView | null;
  /** A trace code with an unknown prefix waiting for its commodity barcode (learn flow). */
  learning: string | null;
}

/** What an accepted dock scan did, shown next to the big state. */
export interface ScanEffectView {
  action: 'receive' | 'pick' | 'pack' | 'unpack' | 'open_parent' | 'select_document' | 'learn';
  /** Unit codes this scan stands for (a case scan = all units inside). */
  units: number;
  /** Codes whose state changed (case + middles + units). */
  codes: number;
  documentId?: number;
  parent?: string;
  fill?: { filled: number; capacity: number | null; partial: boolean };
  /** Over the expected content: accepted but flagged. */
  unexpected?: boolean;
  warnings?: Localized[];
}

export interface ProductRefView {
  id: number;
  name: string;
  nhsaCode: string | null;
  /** Commodity code (商品码) of the level this code is at, when master data has one. */
  commodityCode: string | null;
}

/** GET /api/codes/:code — where a box is and what it is (three codes included). */
export interface CodeView {
  code: string;
  state: CodeStateName | 'not_seen';
  level: number | null;
  product: ProductRefView | null;
  batch: string | null;
  expiry: string | null;
  document: { id: number; number: string; direction: DocumentDirection } | null;
  parent: string | null;
  children: number;
  units: number;
  updatedAt: number | null;
}

export interface MappingView {
  id: number;
  productId: number;
  productName: string;
  level: number;
  kind: 'prefix' | 'gtin';
  value: string;
  status: 'pending' | 'active' | 'rejected' | 'retired';
  proposedBy: number | null;
  proposedAt: number;
  decidedBy: number | null;
  decidedAt: number | null;
}

export interface CirculationRecordView {
  id: number;
  documentId: number;
  direction: DocumentDirection;
  circulationUnitName: string;
  circulationUnitUscc: string;
  circulationTime: number;
  shipperName: string;
  shipperUscc: string;
  shipTime: number | null;
  shipStatus: string;
  receiverName: string;
  receiverUscc: string;
  receiveTime: number | null;
  receiveStatus: string;
  codeCount: number;
}

export interface DocumentDetailView {
  document: DocumentView;
  reconciliation: ReconciliationView;
  circulation: CirculationRecordView | null;
}
