import type { CounterpartyType } from '../../contract/master-data.js';
import type { Localized } from '../../contract/views.js';
import { foldWidth } from '../../domain/codes/index.js';

/**
 * Spreadsheet cells as text. Excel stores a GTIN typed into a General cell as a number, so numbers
 * are written back without exponent or grouping; formulas count by their cached result.
 */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v.toFixed(0) : String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as { richText?: Array<{ text?: string }>; text?: unknown; result?: unknown; error?: unknown };
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text ?? '').join('').trim();
    if ('result' in o) return cellText(o.result);
    if ('text' in o) return cellText(o.text);
  }
  return '';
}

const TRUE = new Set(['是', 'y', 'yes', 'true', '1', '√', '✓', 't', '有']);
const FALSE = new Set(['否', 'n', 'no', 'false', '0', '×', '✗', 'f', '无', '']);

export function parseFlag(s: string): boolean | { reason: Localized } {
  const k = foldWidth(s).trim().toLowerCase();
  if (TRUE.has(k)) return true;
  if (FALSE.has(k)) return false;
  return { reason: { 'zh-CN': `「${s}」应为 是 或 否`, en: `"${s}" must be yes or no (是/否, Y/N, 1/0)` } };
}

const TYPES: Record<string, CounterpartyType> = {
  manufacturer: 'manufacturer',
  生产企业: 'manufacturer',
  生产厂家: 'manufacturer',
  wholesaler: 'wholesaler',
  批发企业: 'wholesaler',
  经营企业: 'wholesaler',
  批发: 'wholesaler',
  配送企业: 'wholesaler',
  hospital: 'hospital',
  医疗机构: 'hospital',
  医院: 'hospital',
  pharmacy: 'pharmacy',
  零售药店: 'pharmacy',
  药店: 'pharmacy',
  零售: 'pharmacy',
  other: 'other',
  其他: 'other',
};

export const COUNTERPARTY_TYPE_LABELS: Record<CounterpartyType, string> = { manufacturer: '生产企业', wholesaler: '批发企业', hospital: '医疗机构', pharmacy: '零售药店', other: '其他' };

/** Unknown text passes through so the schema names the allowed values. */
export const counterpartyType = (s: string): string => TYPES[foldWidth(s).trim().toLowerCase()] ?? s;

/** `nhsa=H123; gansu=G9` or a JSON object; an empty cell is no ids. */
export function parsePlatformIds(s: string): { ok: true; ids: Record<string, string> } | { ok: false; reason: Localized } {
  const t = s.trim();
  if (t === '') return { ok: true, ids: {} };
  if (t.startsWith('{')) {
    try {
      const v = JSON.parse(t) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) return { ok: true, ids: Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])) };
    } catch {
      // fall through to the error below
    }
  } else {
    const pairs = t.split(/[;；,，\n]/).map((p) => p.trim()).filter(Boolean).map((p) => p.split(/[=＝:：]/));
    if (pairs.every((p) => p.length === 2 && p[0]!.trim() && p[1]!.trim())) return { ok: true, ids: Object.fromEntries(pairs.map(([k, v]) => [k!.trim(), v!.trim()])) };
  }
  return { ok: false, reason: { 'zh-CN': '平台编号应写为 平台=编号，多个用分号分隔（如 nhsa=H12345; gansu=G678）', en: 'platform ids are platform=id pairs separated by semicolons (e.g. nhsa=H12345; gansu=G678)' } };
}
