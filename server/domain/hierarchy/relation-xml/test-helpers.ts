import { Readable } from 'node:stream';
import type { RelationRecord } from './types.js';

/** Test-only helpers (imported by *.test.ts, never by production code). */
export async function collect(batches: AsyncIterable<RelationRecord[]>): Promise<RelationRecord[][]> {
  const out: RelationRecord[][] = [];
  for await (const b of batches) out.push(b);
  return out;
}

export async function flat(batches: AsyncIterable<RelationRecord[]>): Promise<RelationRecord[]> {
  return (await collect(batches)).flat();
}

/** The bytes as a stream of `step`-byte chunks, to split multi-byte characters and tags. */
export function chunked(bytes: Buffer, step: number): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += step) parts.push(bytes.subarray(i, i + step));
  return Readable.from(parts);
}

export async function text(chunks: AsyncIterable<string>): Promise<string> {
  let s = '';
  for await (const c of chunks) s += c;
  return s;
}
