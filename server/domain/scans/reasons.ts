import type { Localized } from '../../contract/views.js';

/**
 * Reasons that belong to the station rather than to the code (those live with the decoder in
 * server/domain/codes/reasons.ts). Codes are stable; words a dock worker understands.
 */
export const SCAN_REASONS = {
  duplicate: { 'zh-CN': '重复扫码：此码已在本工位扫过', en: 'Duplicate: this code was already scanned at this station' },
  station_unattended: {
    'zh-CN': '工位无人登录：请先在工位屏幕登录并选择单位，再扫码',
    en: 'Nobody is signed in at this station: sign in on the station screen first, then scan',
  },
  storage_failed: { 'zh-CN': '未能保存，请重扫此码', en: 'Could not be stored — scan this code again' },
} as const satisfies Record<string, Localized>;
