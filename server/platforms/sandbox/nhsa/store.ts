import fs from 'node:fs';
import path from 'node:path';
import type { NhsaProfile } from '../../nhsa/profile.schema.js';
import { storedRowSchema } from './schemas.js';
import type { RowFilter, StoredRow } from './types.js';
import type { NewRow } from './uploads.js';

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

export class SandboxStore {
  private readonly all: StoredRow[] = [];
  private readonly counts = new Map<string, number>();
  private seq = 0;

  constructor(
    private readonly profile: NhsaProfile,
    private readonly file?: string,
  ) {}

  /** Reloads what an earlier run accepted; a line torn by a crash mid-append is cut off. */
  load(): void {
    if (!this.file) return;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    if (!fs.existsSync(this.file)) return;
    let text = fs.readFileSync(this.file, 'utf8');
    const lastNewline = text.lastIndexOf('\n');
    if (lastNewline !== text.length - 1) {
      fs.truncateSync(this.file, Buffer.byteLength(text.slice(0, lastNewline + 1), 'utf8'));
      text = text.slice(0, lastNewline + 1);
    }
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch {
        throw new Error(`sandbox store ${this.file} line ${i + 1}: not JSON`);
      }
      const parsed = storedRowSchema.safeParse(raw);
      if (!parsed.success) throw new Error(`sandbox store ${this.file} line ${i + 1}: ${parsed.error.issues[0]?.message ?? 'invalid row'}`);
      this.remember(parsed.data);
      this.seq = Math.max(this.seq, parsed.data.seq);
    });
  }

  /** Written to the file before memory, so what a caller was told is stored survives a restart. */
  add(rows: NewRow[]): StoredRow[] {
    const stored = rows.map((r) => ({ seq: ++this.seq, ...r }));
    if (this.file && stored.length) fs.appendFileSync(this.file, stored.map((r) => JSON.stringify(r) + '\n').join(''));
    for (const r of stored) this.remember(r);
    return stored;
  }

  private remember(row: StoredRow): void {
    this.all.push(row);
    const id = identityOf(this.profile, row);
    this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
  }

  get size(): number {
    return this.all.length;
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

  duplicates(): Array<{ identity: string; count: number }> {
    return [...this.counts].filter(([, count]) => count > 1).map(([identity, count]) => ({ identity, count }));
  }
}
