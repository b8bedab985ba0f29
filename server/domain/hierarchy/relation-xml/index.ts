/** 码上放心 relation files (DOMAIN.md §3): streaming XML v3.0 and CSV readers, streaming XML writer. */
export { readRelationXml } from './reader.js';
export { readRelationCsv } from './csv-reader.js';
export { relationXmlChunks, escapeAttr } from './writer.js';
export {
  DEFAULT_BATCH_SIZE,
  RelationFileError,
  type BatchInfo,
  type ReadOptions,
  type RelationFileReason,
  type RelationInfo,
  type RelationRecord,
} from './types.js';
