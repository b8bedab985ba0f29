import type { BatchInfo, RelationInfo, RelationRecord } from './types.js';

const RELATION_KEYS = ['productCode', 'subTypeNo', 'cascade', 'packageSpec', 'comment'] as const;
const BATCH_KEYS = ['batchNo', 'madeDate', 'validateDate', 'workshop', 'lineName', 'lineManager'] as const;

type Source = Iterable<readonly RelationRecord[]> | AsyncIterable<readonly RelationRecord[]>;

/**
 * Streams relation XML v3.0 (the format readRelationXml reads) as string chunks, one per input
 * array: pipe `Readable.from(relationXmlChunks(batches))` to a file or HTTP response. Consecutive
 * records with equal relation/batch attributes share one <Relation>/<Batch> element, which is how
 * producers group codes; the reader hands the attributes back on every record, so export → import
 * gives the same records.
 */
export async function* relationXmlChunks(source: Source): AsyncGenerator<string> {
  yield '<?xml version="1.0" encoding="UTF-8"?>\n<Document>\n  <Events Version="3.0">\n    <Event Name="RelationCreate">\n';
  let relation: RelationInfo | undefined;
  let batch: BatchInfo | undefined;
  let open = false;
  for await (const records of source) {
    let out = '';
    for (const r of records) {
      const newRelation = !open || !sameInfo(relation, r.relation, RELATION_KEYS);
      if (newRelation || !sameInfo(batch, r.batch, BATCH_KEYS)) {
        if (open) out += newRelation ? '        </Batch>\n      </Relation>\n' : '        </Batch>\n';
        if (newRelation) out += `      <Relation${attributes(r.relation, RELATION_KEYS)}>\n`;
        out += `        <Batch${attributes(r.batch, BATCH_KEYS)}>\n`;
        relation = r.relation;
        batch = r.batch;
        open = true;
      }
      out += `          <Code curCode="${escapeAttr(r.code)}" packLayer="${r.level}"`;
      if (r.parent) out += ` parentCode="${escapeAttr(r.parent)}"`;
      if (r.flag) out += ` flag="${escapeAttr(r.flag)}"`;
      out += '/>\n';
    }
    if (out !== '') yield out;
  }
  yield `${open ? '        </Batch>\n      </Relation>\n' : ''}    </Event>\n  </Events>\n</Document>\n`;
}

function sameInfo<K extends string>(a: Partial<Record<K, string>> | undefined, b: Partial<Record<K, string>> | undefined, keys: readonly K[]): boolean {
  if (a === b) return true;
  for (const k of keys) if ((a?.[k] || undefined) !== (b?.[k] || undefined)) return false;
  return true;
}

function attributes<K extends string>(info: Partial<Record<K, string>> | undefined, keys: readonly K[]): string {
  let s = '';
  for (const k of keys) {
    const v = info?.[k];
    if (v) s += ` ${k}="${escapeAttr(v)}"`;
  }
  return s;
}

/**
 * XML attribute escaping. Tabs and line breaks become character references because a parser
 * normalises literal ones to spaces, which would break the round trip of a comment.
 */
export function escapeAttr(v: string): string {
  return v.replace(/[&<>"\t\n\r]/g, (c) => ESC[c]!);
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };
