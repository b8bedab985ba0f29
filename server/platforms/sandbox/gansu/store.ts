import fs from 'node:fs';
import path from 'node:path';
import type { GansuSaleRow } from '../../gansu/rows.js';
import { storedSaleSchema } from './schemas.js';
import type { SaleFilter, StoredSale } from './types.js';

/**
 * "The same row": every field, keys sorted. The platform has no row id, so two identical rows are
 * the only trace of a client that sent a call twice. Two genuine identical sales in one second to
 * anonymous buyers would look the same; tests use distinct rows.
 */
export function saleIdentity(row: GansuSaleRow): string {
  const r = row as Record<string, unknown>;
  return JSON.stringify(Object.keys(r).sort().filter((k) => r[k] !== undefined && r[k] !== '').map((k) => [k, r[k]]));
}

export type NewSale = Omit<StoredSale, 'seq'>;

export class SaleStore {
  private readonly all: StoredSale[] = [];
  private readonly counts = new Map<string, number>();
  private seq = 0;

  constructor(private readonly file?: string) {}

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
        throw new Error(`Gansu sandbox store ${this.file} line ${i + 1}: not JSON`);
      }
      const parsed = storedSaleSchema.safeParse(raw);
      if (!parsed.success) throw new Error(`Gansu sandbox store ${this.file} line ${i + 1}: ${parsed.error.issues[0]?.message ?? 'invalid row'}`);
      this.remember(parsed.data);
      this.seq = Math.max(this.seq, parsed.data.seq);
    });
  }

  /** All rows of one call, written to the file before memory: what a caller was told is stored survives a restart. */
  add(sales: NewSale[]): StoredSale[] {
    const stored = sales.map((r) => ({ seq: ++this.seq, ...r }));
    if (this.file && stored.length) fs.appendFileSync(this.file, stored.map((r) => JSON.stringify(r) + '\n').join(''));
    for (const r of stored) this.remember(r);
    return stored;
  }

  private remember(sale: StoredSale): void {
    this.all.push(sale);
    const id = saleIdentity(sale.row);
    this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
  }

  get size(): number {
    return this.all.length;
  }

  rows(filter: SaleFilter = {}): StoredSale[] {
    return this.all
      .filter((r) => (filter.loginId === undefined || r.loginId === filter.loginId) && (filter.uscc === undefined || r.uscc === filter.uscc) && (filter.appKey === undefined || r.appKey === filter.appKey))
      .map((r) => ({ ...r, row: { ...r.row } }));
  }

  duplicates(): Array<{ identity: string; count: number }> {
    return [...this.counts].filter(([, count]) => count > 1).map(([identity, count]) => ({ identity, count }));
  }
}
