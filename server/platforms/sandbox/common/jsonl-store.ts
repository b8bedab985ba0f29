import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { Duplicate } from './types.js';

/**
 * What a sandbox accepted, in memory and (with a file) as JSON lines, so a restart keeps it.
 * Every copy is kept, counted by `identity`, so tests can prove a client never sent one twice.
 */
export class JsonlStore<T extends { seq: number }> {
  protected readonly all: T[] = [];
  private readonly counts = new Map<string, number>();
  private seq = 0;

  constructor(
    private readonly schema: z.ZodType<T>,
    private readonly identity: (record: T) => string,
    /** Names the store in load errors, e.g. `sandbox store`. */
    private readonly label: string,
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
        throw new Error(`${this.label} ${this.file} line ${i + 1}: not JSON`);
      }
      const parsed = this.schema.safeParse(raw);
      if (!parsed.success) throw new Error(`${this.label} ${this.file} line ${i + 1}: ${parsed.error.issues[0]?.message ?? 'invalid row'}`);
      this.remember(parsed.data);
      this.seq = Math.max(this.seq, parsed.data.seq);
    });
  }

  /** All records of one call, written to the file before memory: what a caller was told is stored survives a restart. */
  add(records: Array<Omit<T, 'seq'>>): T[] {
    const stored = records.map((r) => ({ seq: ++this.seq, ...r }) as T);
    if (this.file && stored.length) fs.appendFileSync(this.file, stored.map((r) => JSON.stringify(r) + '\n').join(''));
    for (const r of stored) this.remember(r);
    return stored;
  }

  private remember(record: T): void {
    this.all.push(record);
    const id = this.identity(record);
    this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
  }

  get size(): number {
    return this.all.length;
  }

  duplicates(): Duplicate[] {
    return [...this.counts].filter(([, count]) => count > 1).map(([identity, count]) => ({ identity, count }));
  }
}
