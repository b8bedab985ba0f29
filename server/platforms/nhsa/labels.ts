import type { Localized } from '../../contract/views.js';
import { CANONICAL_FIELDS, type CanonicalField, type ProfileField } from './profile.schema.js';

/**
 * What a person calls each canonical field (the portal's import templates are in Chinese). The
 * platform's field names come from the profile; these labels only help a person read an import
 * file and help us recognise the columns of the portal's error report (下载错误报告).
 */
export const FIELD_LABELS: Readonly<Record<CanonicalField, { zh: string; en: string }>> = {
  traceCode: { zh: '追溯码', en: 'Trace code' },
  parentCode: { zh: '上级追溯码', en: 'Parent trace code' },
  packLevel: { zh: '包装层级', en: 'Package level' },
  batch: { zh: '生产批号', en: 'Batch' },
  madeDate: { zh: '生产日期', en: 'Production date' },
  expiry: { zh: '有效期至', en: 'Expiry date' },
  productCode: { zh: '商品编号', en: 'Product number' },
  nhsaCode: { zh: '医保编码', en: 'NHSA code' },
  commodityCode: { zh: '商品条码', en: 'Commodity barcode' },
  productName: { zh: '商品名称', en: 'Product name' },
  genericName: { zh: '通用名', en: 'Generic name' },
  spec: { zh: '规格', en: 'Specification' },
  packageSpec: { zh: '包装规格', en: 'Package specification' },
  dosageForm: { zh: '剂型', en: 'Dosage form' },
  approvalNo: { zh: '批准文号', en: 'Approval number' },
  manufacturer: { zh: '生产企业', en: 'Manufacturer' },
  ratio: { zh: '包装比例', en: 'Package ratio' },
  direction: { zh: '流向', en: 'Direction' },
  documentNumber: { zh: '单据号', en: 'Document number' },
  documentType: { zh: '单据类型', en: 'Document type' },
  circulationUnitName: { zh: '流通企业名称', en: 'Circulation enterprise' },
  circulationUnitUscc: { zh: '流通企业统一社会信用代码', en: 'Circulation enterprise USCC' },
  circulationTime: { zh: '流通时间', en: 'Circulation time' },
  shipperName: { zh: '发货企业名称', en: 'Shipper' },
  shipperUscc: { zh: '发货企业统一社会信用代码', en: 'Shipper USCC' },
  shipTime: { zh: '发货时间', en: 'Ship time' },
  shipStatus: { zh: '发货状态', en: 'Ship status' },
  receiverName: { zh: '收货企业名称', en: 'Receiver' },
  receiverUscc: { zh: '收货企业统一社会信用代码', en: 'Receiver USCC' },
  receiveTime: { zh: '收货时间', en: 'Receive time' },
  receiveStatus: { zh: '收货状态', en: 'Receive status' },
};

// Every canonical field has a label: a field added to the schema without one fails here, at load.
for (const f of CANONICAL_FIELDS) if (!FIELD_LABELS[f]) throw new Error(`no label for canonical field ${f}`);

/** The first column of a manual-upload file: our record id, so a report row finds its record. */
export const RECORD_COLUMN = { zh: '记录号', en: 'record' } as const;

export const fieldLabel = (f: CanonicalField): Localized => ({ 'zh-CN': FIELD_LABELS[f].zh, en: FIELD_LABELS[f].en });

/** A template column header: the Chinese label, then the platform's field name (`追溯码 drug_trac_codg`). */
export const columnHeader = (f: Pick<ProfileField, 'name' | 'source'>): string => `${FIELD_LABELS[f.source].zh} ${f.name}`;

export const recordColumnHeader = `${RECORD_COLUMN.zh} ${RECORD_COLUMN.en}`;
