import type { Readable } from 'node:stream';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { chunkDecoder, EncodingProblem } from './decode-text.js';
import { isIsoDate, lowerKeys, parseLayer, pick } from './fields.js';
import { DEFAULT_BATCH_SIZE, RelationFileError, type BatchInfo, type ReadOptions, type RelationFileReason, type RelationInfo, type RelationRecord } from './types.js';

// The path of DOMAIN.md §3: each known element and the only parent it may have.
const PARENT: Record<string, string> = { events: 'document', event: 'events', relation: 'event', batch: 'relation', code: 'batch' };
const RELATION_KEYS = ['productCode', 'subTypeNo', 'cascade', 'packageSpec', 'comment'] as const;
const BATCH_KEYS = ['batchNo', 'madeDate', 'validateDate', 'workshop', 'lineName', 'lineManager'] as const;

/**
 * Streams a 码上放心 relation XML v3.0 file: arrays of up to `batchSize` records, never the whole
 * file in memory (1 000 000 codes per file happen). Throws RelationFileError at the first problem,
 * with its line and column; records already yielded stay yielded, so the caller imports in one
 * transaction and rolls back on error.
 */
export async function* readRelationXml(input: Readable | AsyncIterable<Buffer | string>, options: ReadOptions = {}): AsyncGenerator<RelationRecord[]> {
  const size = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  const sink = new RelationSink();
  const decoder = chunkDecoder();
  const decode = (chunk: Buffer | string | null): string => {
    try {
      return decoder(chunk);
    } catch (err) {
      if (err instanceof EncodingProblem) {
        sink.feed(err.validPrefix); // advances the parser to the first bad byte
        sink.failHere('invalid_encoding', err.message);
      }
      throw err;
    }
  };
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    sink.feed(decode(chunk));
    while (sink.pending.length >= size) yield sink.pending.splice(0, size);
  }
  sink.feed(decode(null));
  sink.end();
  while (sink.pending.length > 0) yield sink.pending.splice(0, size);
}

class RelationSink {
  readonly pending: RelationRecord[] = [];
  private readonly parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  private readonly stack: string[] = [];
  private sawEvents = false;
  private relation: RelationInfo | undefined;
  private batch: BatchInfo | undefined;
  private tagLine = 1;
  private tagColumn = 1;

  constructor() {
    const p = this.parser;
    p.on('error', (err) => {
      // saxes prefixes "line:column: "; we report the position our own way.
      throw new RelationFileError('xml_syntax', p.line, p.column + 1, err.message.replace(/^\d+:\d+:\s*/, ''));
    });
    p.on('opentagstart', (tag) => {
      // saxes has just read the character after the name: back up over it, the name and '<'.
      this.tagLine = p.line;
      this.tagColumn = Math.max(1, p.column - tag.name.length - 1);
    });
    p.on('opentag', (tag) => this.open(tag));
    p.on('closetag', () => void this.stack.pop());
  }

  feed(text: string): void {
    if (text !== '') this.parser.write(text);
  }

  end(): void {
    this.parser.close();
    if (!this.sawEvents) this.fail('not_relation_document', 'no <Events Version="3.0"> element');
  }

  /** At the parser's current position (the end of the text read so far). */
  failHere(reason: RelationFileReason, detail: string): never {
    throw new RelationFileError(reason, this.parser.line, this.parser.column + 1, detail);
  }

  private fail(reason: RelationFileReason, detail: string): never {
    throw new RelationFileError(reason, this.tagLine, this.tagColumn, detail);
  }

  private open(tag: SaxesTagPlain): void {
    const name = tag.name.toLowerCase();
    const up = this.stack[this.stack.length - 1];
    this.stack.push(name);
    if (up === undefined) {
      if (name !== 'document') this.fail('not_relation_document', `the root element is <${tag.name}>, not <Document>`);
      return;
    }
    const expected = PARENT[name];
    if (expected === undefined) return; // producers add their own elements; they carry nothing we need
    if (up !== expected) this.fail('misplaced_element', `<${tag.name}> inside <${up}>; it belongs inside <${expected}>`);
    const attrs = lowerKeys(tag.attributes);
    if (name === 'code') this.code(attrs);
    else if (name === 'batch') this.batch = this.info(attrs, BATCH_KEYS);
    else if (name === 'relation') this.relation = this.info(attrs, RELATION_KEYS);
    else if (name === 'event') this.event(attrs);
    else this.events(attrs);
  }

  private events(attrs: Map<string, string>): void {
    const v = pick(attrs, 'version');
    if (v === undefined) this.fail('unknown_version', '<Events> has no Version; 3.0 expected');
    if (!/^3(\.0)?$/.test(v)) this.fail('unknown_version', `Version "${v}"; only 3.0 is supported`);
    this.sawEvents = true;
  }

  private event(attrs: Map<string, string>): void {
    const n = pick(attrs, 'name');
    if (n?.toLowerCase() !== 'relationcreate') this.fail('unsupported_event', `<Event Name="${n ?? ''}">; only RelationCreate is read`);
  }

  private info<K extends string>(attrs: Map<string, string>, keys: readonly K[]): Partial<Record<K, string>> | undefined {
    const out: Partial<Record<K, string>> = {};
    let any = false;
    for (const k of keys) {
      const v = pick(attrs, k.toLowerCase());
      if (v === undefined) continue;
      if (k.endsWith('Date') && !isIsoDate(v)) this.fail('invalid_date', `${k}="${v}" is not a yyyy-MM-dd date`);
      out[k] = v;
      any = true;
    }
    return any ? out : undefined;
  }

  private code(attrs: Map<string, string>): void {
    const code = pick(attrs, 'curcode');
    if (code === undefined) this.fail('missing_attribute', '<Code> has no curCode');
    const layerText = pick(attrs, 'packlayer');
    if (layerText === undefined) this.fail('missing_attribute', `<Code curCode="${code}"> has no packLayer`);
    const level = parseLayer(layerText);
    if (level === undefined) this.fail('bad_layer', `packLayer="${layerText}" of ${code} is not 1, 2 or 3`);
    const rec: RelationRecord = { code, level };
    const parent = pick(attrs, 'parentcode');
    if (parent !== undefined) rec.parent = parent;
    const flag = pick(attrs, 'flag');
    if (flag !== undefined) rec.flag = flag;
    if (this.relation) rec.relation = this.relation;
    if (this.batch) rec.batch = this.batch;
    this.pending.push(rec);
  }
}
