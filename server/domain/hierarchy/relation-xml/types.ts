import type { LocalizedMessage } from '../../codes/index.js';
import type { PackLevel } from '../types.js';

/** `<Relation>` attributes of the 码上放心 relation XML v3.0; one object shared by all its codes. */
export interface RelationInfo {
  productCode?: string;
  subTypeNo?: string;
  /** Number of levels as the producer wrote it (`2`, `3`). */
  cascade?: string;
  /** Package ratio text, e.g. `1:5:10`; parse with parsePackageRatio. */
  packageSpec?: string;
  comment?: string;
}

/** `<Batch>` attributes; dates are checked `yyyy-MM-dd`. One object shared by all its codes. */
export interface BatchInfo {
  batchNo?: string;
  madeDate?: string;
  validateDate?: string;
  workshop?: string;
  lineName?: string;
  lineManager?: string;
}

/**
 * One code of a relation file. XML and CSV give the same shape (CSV has no relation/batch).
 * Empty attributes are read as absent, and the writer never writes empty ones, so a
 * record survives export → import unchanged.
 */
export interface RelationRecord {
  code: string;
  level: PackLevel;
  /** Absent for the top code of a tree and for loose packs. */
  parent?: string;
  flag?: string;
  relation?: RelationInfo;
  batch?: BatchInfo;
}

export interface ReadOptions {
  /** Records per yielded array (default 5 000): one set-based insert each. */
  batchSize?: number;
}

export const DEFAULT_BATCH_SIZE = 5000;

export type RelationFileReason =
  | 'xml_syntax'
  | 'invalid_encoding'
  | 'not_relation_document'
  | 'unknown_version'
  | 'unsupported_event'
  | 'misplaced_element'
  | 'missing_attribute'
  | 'bad_layer'
  | 'invalid_date'
  | 'bad_row';

const TITLES: Record<RelationFileReason, [string, string]> = {
  xml_syntax: ['XML 格式错误', 'malformed XML'],
  invalid_encoding: ['文件编码错误', 'bad text encoding'],
  not_relation_document: ['不是关联关系文件', 'not a relation file'],
  unknown_version: ['不支持的文件版本', 'unsupported file version'],
  unsupported_event: ['不支持的事件类型', 'unsupported event'],
  misplaced_element: ['元素位置不对', 'element in the wrong place'],
  missing_attribute: ['缺少必填属性', 'missing attribute'],
  bad_layer: ['包装层级错误', 'bad package layer'],
  invalid_date: ['日期无效', 'invalid date'],
  bad_row: ['CSV 行格式错误', 'bad CSV row'],
};

/** A relation file that cannot be imported: where (1-based line and column) and what. */
export class RelationFileError extends Error {
  readonly localized: LocalizedMessage;
  constructor(
    readonly reason: RelationFileReason,
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    const [zh, en] = TITLES[reason];
    super(`line ${line}, column ${column}: ${en}: ${detail}`);
    this.name = 'RelationFileError';
    this.localized = { 'zh-CN': `第 ${line} 行第 ${column} 列：${zh}：${detail}`, en: this.message };
  }
}
