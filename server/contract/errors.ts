import { DOCK_ERRORS } from './dock.js';
import { RECALL_ERRORS } from './recall.js';
import { QUERY_ERRORS } from './queries.js';
import { MASTER_DATA_ERRORS } from './master-data.js';
import { RELATION_ERRORS } from './relations.js';
import { UPLOAD_ERRORS } from './uploads.js';
import { RETAIL_ERRORS } from './retail.js';
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
  TOO_MANY_ATTEMPTS: { 'zh-CN': '登录尝试过于频繁，请稍后再试', en: 'Too many login attempts from this computer — try again shortly' },
  SCAN_NOT_FOUND: { 'zh-CN': '本工位没有这条扫码记录', en: 'No such scan at this station' },
  SCAN_NOT_UNDOABLE: { 'zh-CN': '只有成功的扫码可以撤销（重复和拒绝的扫码没有生效）', en: 'Only accepted scans can be undone (duplicates and rejects had no effect)' },
  SCAN_ALREADY_UNDONE: { 'zh-CN': '这条扫码已经撤销过了', en: 'This scan was already undone' },
  // Accounts, units and permissions (issue 4).
  AUTH_REQUIRED: { 'zh-CN': '请先登录', en: 'Please log in first' },
  SESSION_INVALID: { 'zh-CN': '登录已失效，请重新登录', en: 'Your session has ended — please log in again' },
  LOGIN_FAILED: { 'zh-CN': '用户名或密码不正确', en: 'Wrong user name or password' },
  ACCOUNT_LOCKED: { 'zh-CN': '登录失败次数过多，账户已暂时锁定，请稍后再试', en: 'Too many failed logins — the account is locked for a while, try again later' },
  PASSWORD_CHANGE_REQUIRED: { 'zh-CN': '请先修改初始密码', en: 'Please change your initial password first' },
  PASSWORD_POLICY: { 'zh-CN': '密码须至少 8 位，并包含大写字母、小写字母、数字和符号', en: 'The password needs at least 8 characters with upper-case, lower-case, digit and symbol' },
  PASSWORD_WRONG: { 'zh-CN': '当前密码不正确', en: 'The current password is wrong' },
  PASSWORD_REUSED: { 'zh-CN': '新密码不能与当前密码相同', en: 'The new password must differ from the current one' },
  FORBIDDEN: { 'zh-CN': '您没有执行此操作的权限', en: 'You are not allowed to do this' },
  UNIT_NOT_CHOSEN: { 'zh-CN': '请先选择您要办理业务的单位', en: 'Please choose the unit you work for first' },
  UNIT_NOT_BOUND: { 'zh-CN': '您未绑定该单位', en: 'You are not bound to this unit' },
  UNIT_NOT_FOUND: { 'zh-CN': '单位不存在', en: 'No such unit' },
  UNIT_USCC_TAKEN: { 'zh-CN': '该统一社会信用代码已登记', en: 'A unit with this unified social credit code already exists' },
  USCC_INVALID: { 'zh-CN': '统一社会信用代码不正确', en: 'The unified social credit code is invalid' },
  OPERATOR_NOT_FOUND: { 'zh-CN': '经办人不存在', en: 'No such operator' },
  USERNAME_TAKEN: { 'zh-CN': '用户名已被使用', en: 'This user name is already taken' },
  BADGE_TAKEN: { 'zh-CN': '该工牌已分配给其他经办人', en: 'This badge is already assigned to another operator' },
  GRANT_NOT_BOUND: { 'zh-CN': '请先将经办人绑定到该单位，再授权', en: 'Bind the operator to the unit before granting a business' },
  UPLOAD_GRANT_HELD: { 'zh-CN': '该单位的平台上传业务已授权给其他经办人，请先取消其授权再重新授权', en: 'The platform-upload business of this unit is held by another operator — revoke it first, then grant again' },
  GRANT_NOT_FOUND: { 'zh-CN': '该授权不存在', en: 'No such grant' },
  SELF_LOCKOUT: { 'zh-CN': '不能停用自己的账户或取消自己的管理员权限', en: 'You cannot disable your own account or remove your own administrator right' },
  UNLOCK_FAILED: { 'zh-CN': '工牌或 PIN 不正确', en: 'Wrong badge or PIN' },
  // The dock (issue 5), each area in its own contract file.
  ...MASTER_DATA_ERRORS,
  ...RELATION_ERRORS,
  ...UPLOAD_ERRORS,
  ...RETAIL_ERRORS,
  ...DOCK_ERRORS,
  ...RECALL_ERRORS,
  ...QUERY_ERRORS,
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
