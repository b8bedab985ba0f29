import type { NhsaProfile } from '../../nhsa/profile.schema.js';
import { JsonlStore } from '../common/jsonl-store.js';
import { storedRowSchema } from './schemas.js';
import type { RowFilter, StoredRow } from './types.js';

/**
 * The platform's notion of "the same record": ak + queryType + the operation's match fields in
 * the platform's names. The sandbox stores every copy anyway, so tests can prove that a client
 * never sends one twice.
 */
export function identityOf(profile: NhsaProfile, row: Pick<StoredRow, 'ak' | 'operation' | 'queryType' | 'fields'>): string {
  const op = profile.operations[row.operation];
  const all = [...op.header, ...op.item];
  const values = op.match.map((source) => {
    const name = all.find((f) => f.source === source)?.name;
    return name === undefined ? null : row.fields[name] ?? null;
  });
  return JSON.stringify([row.ak, row.queryType, ...values]);
}

export class SandboxStore extends JsonlStore<StoredRow> {
  constructor(profile: NhsaProfile, file?: string) {
    super(storedRowSchema, (row) => identityOf(profile, row), 'sandbox store', file);
  }

  /** Live rows for the query operations; callers must not change them. */
  forAk(ak: string): readonly StoredRow[] {
    return this.all.filter((r) => r.ak === ak);
  }

  rows(filter: RowFilter = {}): StoredRow[] {
    return this.all
      .filter((r) => (filter.ak === undefined || r.ak === filter.ak) && (filter.queryType === undefined || r.queryType === filter.queryType))
      .map((r) => ({ ...r, fields: { ...r.fields } }));
  }
}
