import type { Knex } from 'knex';
import type { ImportKind, ImportRowError } from '../../contract/master-data.js';
import type { ColumnSpec, HeaderMap } from './columns.js';
import type { Problem } from './problems.js';
import type { DataRow } from './report-store.js';

export interface ImportContext {
  unitId: number;
  operatorId: number;
  now: number;
  /** Fields whose column the file has: an existing record takes only those. */
  present: ReadonlySet<string>;
}

export interface Prepared<T> {
  record: number;
  value: T;
}

/** One importable kind: its columns, the checks that need no database, those that do, and the write. */
export interface ImportSpec<T> {
  kind: ImportKind;
  columns: readonly ColumnSpec[];
  prepare(rows: readonly DataRow[], map: HeaderMap): { items: Array<Prepared<T>>; errors: ImportRowError[] };
  conflicts(trx: Knex.Transaction, items: ReadonlyArray<Prepared<T>>, map: HeaderMap): Promise<ImportRowError[]>;
  write(trx: Knex.Transaction, items: ReadonlyArray<Prepared<T>>, ctx: ImportContext): Promise<void>;
}

/** The row's cells by field; a short row's missing cells are empty. */
export function rowInput(row: DataRow, map: HeaderMap): Map<string, string> {
  const out = new Map<string, string>();
  for (const [i, field] of map.fields) out.set(field, row.cells[i] ?? '');
  return out;
}

/** A row's problems in the file's column order, so the report reads left to right. */
export function rowErrors(record: number, map: HeaderMap, problems: readonly Problem[]): ImportRowError[] {
  const position = new Map([...map.fields].map(([i, f]) => [f, i]));
  const at = (p: Problem) => position.get(p.field) ?? Number.MAX_SAFE_INTEGER;
  return [...problems].sort((a, b) => at(a) - at(b)).map((p) => rowError(record, map, p));
}

/** Fields whose schema check failed are left out, so the domain checks still speak about the rest. */
export function withoutFailed(input: Record<string, unknown>, issues: ReadonlyArray<{ path: readonly PropertyKey[] }>): Record<string, unknown> {
  const failed = new Set(issues.map((i) => String(i.path[0])));
  return Object.fromEntries(Object.entries(input).filter(([k]) => !failed.has(k)));
}

export function rowError(record: number, map: HeaderMap, p: Pick<Problem, 'field' | 'value' | 'reason'>): ImportRowError {
  return { row: record, column: map.labels.get(p.field) ?? p.field, ...(p.value !== undefined && p.value !== '' ? { value: p.value } : {}), reason: p.reason };
}

export const duplicateReason = (first: number, what: { zh: string; en: string }) => ({
  'zh-CN': `与第 ${first} 行的${what.zh}重复`,
  en: `same ${what.en} as row ${first}`,
});
