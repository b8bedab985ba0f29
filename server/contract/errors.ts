import type { Lang, Localized } from './views.js';

export type { Lang };

/** Stable error codes of the HTTP API and socket acks. Never renamed once shipped. */
export const ERROR_MESSAGES = {
  BAD_JSON: { 'zh-CN': '请求内容不是有效的 JSON', en: 'The request body is not valid JSON' },
  VALIDATION_FAILED: { 'zh-CN': '请求参数不正确', en: 'The request parameters are invalid' },
  PAYLOAD_TOO_LARGE: { 'zh-CN': '请求内容过大', en: 'The request body is too large' },
  NOT_FOUND: { 'zh-CN': '找不到该资源', en: 'Not found' },
  STATION_NOT_FOUND: { 'zh-CN': '工位不存在', en: 'No such station' },
  STATION_NAME_TAKEN: { 'zh-CN': '工位名称已被使用', en: 'A station with this name already exists' },
  DEVICE_UNAVAILABLE: { 'zh-CN': '设备无法打开', en: 'The device cannot be opened' },
  STORAGE_FAILED: { 'zh-CN': '扫码未能保存，请重扫', en: 'The scan could not be stored — scan again' },
  SHUTTING_DOWN: { 'zh-CN': '工作站正在关闭', en: 'The workstation is shutting down' },
  INTERNAL: { 'zh-CN': '内部错误', en: 'Internal error' },
  SCAN_NOT_FOUND: { 'zh-CN': '本工位没有这条扫码记录', en: 'No such scan at this station' },
  SCAN_NOT_UNDOABLE: { 'zh-CN': '只有成功的扫码可以撤销（重复和拒绝的扫码没有生效）', en: 'Only accepted scans can be undone (duplicates and rejects had no effect)' },
  SCAN_ALREADY_UNDONE: { 'zh-CN': '这条扫码已经撤销过了', en: 'This scan was already undone' },
} as const satisfies Record<string, Localized>;

export type ErrorCode = keyof typeof ERROR_MESSAGES;

export interface ApiErrorBody {
  code: ErrorCode;
  /** Human message in the caller's language (Accept-Language; zh-CN by default). */
  message: string;
  messages: Localized;
  /** Field-level problems for VALIDATION_FAILED. */
  issues?: Array<{ path: string; message: string }>;
}

/** Socket.io acknowledgement envelope: every command answers exactly one of these. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ApiErrorBody };
