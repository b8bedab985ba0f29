import type { CodeStateName, DocumentDirection, DOCUMENT_TYPES as ContractDocumentTypes, ScanEffectView } from '../../../server/contract/dock.js';
import type { StationKind } from '../../../server/contract/views.js';
import { loc, t, hasKey, type MessageKey } from '../i18n/index.svelte.js';

/*
 * Copy of the contract's document-type table (server/contract/dock.ts): a value import would pull
 * zod into the bundle. Typed as the contract's own constant, so any difference fails the typecheck.
 */
export const DOCUMENT_TYPES: typeof ContractDocumentTypes = {
  in: { '102': { 'zh-CN': '采购入库', en: 'Purchase' }, '103': { 'zh-CN': '退货入库', en: 'Return in' }, '104': { 'zh-CN': '调拨入库', en: 'Transfer in' }, '106': { 'zh-CN': '零头入库', en: 'Remnant in' } },
  out: {
    '201': { 'zh-CN': '销售出库', en: 'Sale' },
    '202': { 'zh-CN': '退货出库', en: 'Return out' },
    '203': { 'zh-CN': '调拨出库', en: 'Transfer out' },
    '205': { 'zh-CN': '销毁出库', en: 'Destruction' },
    '207': { 'zh-CN': '直调出库', en: 'Direct shipment' },
  },
};

/** The document types of one direction as select options, in the table's order. */
export function documentTypeOptions(direction: DocumentDirection): Array<{ value: string; label: string }> {
  return Object.entries(DOCUMENT_TYPES[direction]).map(([value, label]) => ({ value, label: `${value} ${loc(label)}` }));
}

export type DockKind = 'receiving' | 'dispatch' | 'aggregation';

export function isDockKind(kind: StationKind | undefined | null): kind is DockKind {
  return kind === 'receiving' || kind === 'dispatch' || kind === 'aggregation';
}

/** Which documents a dock station works on (aggregation works on none). */
export function directionOf(kind: DockKind): DocumentDirection | null {
  return kind === 'receiving' ? 'in' : kind === 'dispatch' ? 'out' : null;
}

const CODE_STATES = ['receiving', 'in_stock', 'picking', 'shipped', 'returned', 'scrapped', 'locked', 'sold', 'not_seen'] as const satisfies ReadonlyArray<CodeStateName | 'not_seen'>;

export function codeStateLabel(state: string | null): string {
  if (state === null) return t('common.none');
  return (CODE_STATES as readonly string[]).includes(state) ? t(`codeState.${state as (typeof CODE_STATES)[number]}`) : state;
}

/** 1 小包装, 2 中包装, 3 大包装 (箱). */
export function levelLabel(level: number | null): string {
  if (level === 1 || level === 2 || level === 3) return t(`level.${level}`);
  return level === null ? t('common.none') : String(level);
}

/** A journal entry's kind in words (movement kinds and pack event kinds), or as stored. */
export function historyKindLabel(kind: string): string {
  const key = `codeHistory.kind.${kind}`;
  return hasKey(key) ? t(key as MessageKey) : kind;
}

/** Receiving and picking say what the scan stood for: one unit, or a whole pack of units. */
function movedText(effect: ScanEffectView, verb: 'received' | 'picked'): string {
  if (effect.units <= 1 && effect.codes <= 1) return t(`effect.unit.${verb}`);
  // A pack with middle packs inside is a case (整箱); a pack of units only is a pack (整包).
  const middles = effect.codes - 1 - effect.units;
  return t(middles > 0 ? `effect.case.${verb}` : `effect.pack.${verb}`, { units: effect.units, codes: effect.codes });
}

function fillText(fill: NonNullable<ScanEffectView['fill']>): string {
  return fill.capacity !== null ? t('effect.fill', { filled: fill.filled, capacity: fill.capacity }) : t('effect.fillOpen', { filled: fill.filled });
}

/** What an accepted dock scan did, in words a dock worker reads from across the dock. */
export function effectText(effect: ScanEffectView, documentNumber?: string): string {
  switch (effect.action) {
    case 'receive':
      return movedText(effect, 'received');
    case 'pick':
      return movedText(effect, 'picked');
    case 'pack':
      return t('effect.packed', { parent: effect.parent ?? '' }) + (effect.fill ? ` · ${fillText(effect.fill)}` : '');
    case 'unpack':
      return t('effect.unpacked', { parent: effect.parent ?? '', units: effect.units });
    case 'open_parent':
      return t('effect.openParent', { parent: effect.parent ?? '' }) + (effect.fill ? ` · ${fillText(effect.fill)}` : '');
    case 'select_document':
      return t('effect.selectDocument', { number: documentNumber ?? `#${effect.documentId ?? ''}` });
    case 'learn':
      return t('effect.learn');
  }
}
