import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { parseLayer } from './fields.js';
import { DEFAULT_BATCH_SIZE, RelationFileError, type ReadOptions, type RelationRecord } from './types.js';

// A first line whose level column is not a digit is a header (追溯码,父码,层级 or code,parent,level).
const HEADER_LEVEL = /^[^\d]/;

/**
 * Streams a relation CSV — `code,parent,level` per line, empty parent for the top code — into the
 * same records as readRelationXml. Separators `,` `;` or tab (spreadsheet exports vary); quotes
 * around a field are dropped; blank lines skipped; a UTF-8 BOM is ignored.
 */
export async function* readRelationCsv(input: Readable | AsyncIterable<Buffer | string>, options: ReadOptions = {}): AsyncGenerator<RelationRecord[]> {
  const size = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  const stream = input instanceof Readable ? input : Readable.from(input);
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let pending: RelationRecord[] = [];
  let lineNo = 0;
  for await (const raw of lines) {
    lineNo++;
    const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (line.trim() === '') continue;
    const fields = line.split(/[,;\t]/).map(unquote);
    if (lineNo === 1 && HEADER_LEVEL.test(fields[2] ?? '')) continue;
    pending.push(toRecord(fields, lineNo));
    if (pending.length >= size) {
      yield pending;
      pending = [];
    }
  }
  if (pending.length > 0) yield pending;
}

function unquote(f: string): string {
  const t = f.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
}

function toRecord(fields: string[], line: number): RelationRecord {
  if (fields.length < 3) throw new RelationFileError('bad_row', line, 1, `${fields.length} column(s); code,parent,level expected`);
  const [code, parent, layer] = fields as [string, string, string];
  if (code === '') throw new RelationFileError('bad_row', line, 1, 'the code is empty');
  const level = parseLayer(layer);
  if (level === undefined) throw new RelationFileError('bad_layer', line, 3, `level "${layer}" of ${code} is not 1, 2 or 3`);
  return parent === '' ? { code, level } : { code, parent, level };
}
