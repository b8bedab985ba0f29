import type { CardRow } from '../../../db/repositories/code-card.repository.js';
import type { CodeView, DocumentDirection } from '../../contract/dock.js';
import { AppError } from '../app-error.js';

/** The code card both the dock lookup and the timeline show; a code neither stored nor packed is not found. */
export function toCodeView(code: string, card: CardRow, holds: { children: number; units: number }): CodeView {
  if (!card.known) throw new AppError('CODE_NOT_FOUND', 404);
  return {
    code,
    state: (card.state ?? 'not_seen') as CodeView['state'],
    level: card.level,
    product: card.product ? { id: card.product.id, name: card.product.name, nhsaCode: card.product.nhsaCode, commodityCode: card.level !== null ? card.product.gtin : null } : null,
    batch: card.batch,
    expiry: card.expiry,
    document: card.document ? { id: card.document.id, number: card.document.number, direction: card.document.direction as DocumentDirection } : null,
    parent: card.parentCode,
    children: holds.children,
    units: card.level === 1 ? 1 : holds.units,
    updatedAt: card.updatedAt,
  };
}
