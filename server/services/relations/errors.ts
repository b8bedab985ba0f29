import type { Localized } from '../../contract/views.js';
import { ERROR_MESSAGES } from '../../contract/errors.js';
import type { RelationErrorCode, RelationImportErrorView, RelationViolationView } from '../../contract/relations.js';
import { RelationFileError } from '../../domain/hierarchy/relation-xml/index.js';
import { AppError } from '../app-error.js';
import { LocalizedAppError } from '../localized-error.js';

/** A readable file whose content cannot be stored (bad code, bad package ratio); no position to give. */
export class RelationContentError extends Error {
  constructor(readonly localized: Localized) {
    super(localized.en);
    this.name = 'RelationContentError';
  }
}

type ImportErrorCode = RelationErrorCode | 'INTERNAL';

const STATUS: Partial<Record<ImportErrorCode, number>> = {
  RELATION_FILE_TOO_LARGE: 413,
  RELATION_CONFLICT: 409,
  INTERNAL: 500,
};

/**
 * A refused import: the HTTP envelope carries the stable code, a message naming the first
 * offenders, and one issue per violation; `view` is what relation_imports.error keeps.
 */
export class RelationImportError extends LocalizedAppError {
  constructor(
    readonly importId: number,
    readonly view: RelationImportErrorView,
  ) {
    super(view.code, STATUS[view.code] ?? 400, view.message, view.violations.map((v) => ({ path: v.reason, messages: v.message })));
  }
}

const importNo = (id: number): Localized => ({ 'zh-CN': `导入 #${id}：`, en: `Import #${id}: ` });

function withPrefix(id: number, m: Localized): Localized {
  const p = importNo(id);
  return { 'zh-CN': p['zh-CN'] + m['zh-CN'], en: p.en + m.en };
}

export function conflictError(importId: number, violations: RelationViolationView[], total: number): RelationImportError {
  const first = violations[0]!.message;
  const more = total > 1 ? { 'zh-CN': `（共 ${total} 处问题，未导入任何数据）`, en: ` (${total} problems in all; nothing was imported)` } : { 'zh-CN': '（未导入任何数据）', en: ' (nothing was imported)' };
  const message = withPrefix(importId, { 'zh-CN': first['zh-CN'] + more['zh-CN'], en: first.en + more.en });
  return new RelationImportError(importId, { code: 'RELATION_CONFLICT', message, violations, total });
}

export function simpleError(importId: number, code: ImportErrorCode, detail?: Localized): RelationImportError {
  const base = ERROR_MESSAGES[code];
  const message = detail ? { 'zh-CN': `${base['zh-CN']}：${detail['zh-CN']}`, en: `${base.en}: ${detail.en}` } : base;
  return new RelationImportError(importId, { code, message: withPrefix(importId, message), violations: [], total: 0 });
}

/** The stored error of an import that never got to say why (a crash or restart stopped it). */
export function interruptedView(): RelationImportErrorView {
  return { code: 'RELATION_IMPORT_INTERRUPTED', message: ERROR_MESSAGES.RELATION_IMPORT_INTERRUPTED, violations: [], total: 0 };
}

/** Whatever stopped an import, as the typed error the caller gets and the row keeps. */
export function toImportError(importId: number, err: unknown): RelationImportError {
  if (err instanceof RelationImportError) return err;
  if (err instanceof RelationFileError || err instanceof RelationContentError) return simpleError(importId, 'RELATION_FILE_INVALID', err.localized);
  if (err instanceof AppError && err.code.startsWith('RELATION_')) return simpleError(importId, err.code as RelationErrorCode);
  return simpleError(importId, 'INTERNAL');
}
