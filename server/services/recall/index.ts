/** Recall report (召回报告, issue 8 item 3): the service, its file writer and their inputs. */
export { RecallService, type RecallInput, type ResolvedRecall } from './recall.service.js';
export { writeRecallXlsx, XLSX_TYPE, type RecallWorkbook } from './xlsx.js';
export { parseCodes, type ParsedCodes } from './scope.js';
