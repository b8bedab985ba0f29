import { mapRecord } from '../../platforms/nhsa/param.js';
import type { CanonicalRecord, NhsaProfile, UploadOperation } from '../../platforms/nhsa/profile.schema.js';

/**
 * Whether a query row shows a record as stored. The row must come from the same operation (the
 * profile's query type field) and carry the same platform values in every `match` field — for
 * circulation the code, the document number and the direction — so an inbound record is never
 * taken for the outbound one of the same code. Identities are strings so thousands of records
 * are checked against thousands of rows through one Set.
 */
function matchNames(profile: NhsaProfile, operation: UploadOperation): string[] {
  const op = profile.operations[operation];
  const fields = [...op.header, ...op.item];
  return op.match.map((source) => fields.find((f) => f.source === source)!.name);
}

export function recordIdentity(profile: NhsaProfile, operation: UploadOperation, record: CanonicalRecord): string | null {
  const op = profile.operations[operation];
  const m = mapRecord(op, record);
  if (!m.ok) return null;
  const mapped: Record<string, unknown> = { ...m.header, ...m.item };
  const values = matchNames(profile, operation).map((n) => mapped[n]);
  return values.some((v) => v === undefined) ? null : JSON.stringify([op.queryType, ...values.map(String)]);
}

export function rowIdentities(profile: NhsaProfile, operation: UploadOperation, rows: Array<Record<string, unknown>>): Set<string> {
  const names = matchNames(profile, operation);
  const type = profile.operations[operation].queryType;
  const out = new Set<string>();
  for (const row of rows) {
    if (String(row[profile.query.typeField]) !== type) continue;
    out.add(JSON.stringify([type, ...names.map((n) => String(row[n]))]));
  }
  return out;
}
