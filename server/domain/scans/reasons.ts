import type { Localized } from '../../contract/views.js';

/** Why a scan was not accepted, in words a dock worker understands. Codes are stable. */
export const SCAN_REASONS = {
  empty: { 'zh-CN': '空扫码：没有读到内容', en: 'Empty scan: nothing was read' },
  too_long: { 'zh-CN': '内容过长（超过 4 KB 且无结束符），请检查扫码枪设置', en: 'Too long (over 4 KB without a suffix): check the scanner settings' },
  invalid_utf8: { 'zh-CN': '乱码：扫码枪发送了无效字符，请检查波特率与编码设置', en: 'Garbled: invalid characters — check baud rate and encoding' },
  control_chars: { 'zh-CN': '含有控制字符，不是条码内容', en: 'Contains control characters — not barcode data' },
  not_a_code: { 'zh-CN': '不是可识别的条码', en: 'Not a recognisable code' },
  duplicate: { 'zh-CN': '重复扫码：此码已在本工位扫过', en: 'Duplicate: this code was already scanned at this station' },
  storage_failed: { 'zh-CN': '未能保存，请重扫此码', en: 'Could not be stored — scan this code again' },
} as const satisfies Record<string, Localized>;

export type ScanReasonCode = keyof typeof SCAN_REASONS;
