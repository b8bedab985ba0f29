import type { Writable } from 'node:stream';
import type { Knex } from 'knex';
import { EpcisSourceRepository } from '../../../../db/repositories/epcis-source.repository.js';
import { chinaTime, pageEvents } from './events.js';

/** The EPCIS 2.0 JSON-LD context GS1 publishes with the standard. */
export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

export interface EpcisWriteInput {
  knex: Knex;
  exportId: number;
  unitId: number;
  out: NodeJS.WritableStream | Writable;
  onProgress?: (codesDone: number) => void;
  pageSize?: number;
}

const DEFAULT_PAGE_SIZE = 1000;

/** Writes and honours backpressure: waits for 'drain', fails on 'error' or an early 'close'. */
async function put(out: NodeJS.WritableStream | Writable, text: string): Promise<void> {
  if ('destroyed' in out && out.destroyed) throw new Error('EPCIS export: the output stream is closed');
  if (out.write(text)) return;
  await new Promise<void>((resolve, reject) => {
    const cleanup = () => {
      out.removeListener('drain', onDrain);
      out.removeListener('error', onError);
      out.removeListener('close', onClose);
    };
    const onDrain = () => (cleanup(), resolve());
    const onError = (err: Error) => (cleanup(), reject(err));
    const onClose = () => (cleanup(), reject(new Error('EPCIS export: the output stream closed before the document was written')));
    out.on('drain', onDrain);
    out.on('error', onError);
    out.on('close', onClose);
  });
}

/**
 * Streams the EPCIS 2.0 JSON-LD document of an export (issue 8 §4): the frozen codes of
 * `export_codes` are read `pageSize` at a time by seq, each page's movements and pack events are
 * mapped to ObjectEvents and AggregationEvents and written before the next page is read, so memory
 * holds one page whatever the export's size. The journal is cut at the rows that existed when the
 * export started, so scanning that goes on meanwhile does not leak into half the pages.
 *
 * Does not end `out`: the caller owns the stream (file, cipher, HTTP response) and ends it.
 */
export async function writeEpcisDocument(i: EpcisWriteInput): Promise<{ events: number; codes: number }> {
  const pageSize = i.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`EPCIS export: pageSize must be a positive integer, got ${pageSize}`);
  const repo = new EpcisSourceRepository();
  const unit = await repo.unit(i.knex, i.unitId);
  if (!unit) throw new Error(`EPCIS export ${i.exportId}: unit ${i.unitId} not found`);
  const horizon = await repo.horizon(i.knex);

  const head = {
    '@context': [EPCIS_CONTEXT],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: chinaTime(Date.now()),
    instanceIdentifier: `tracedock-export-${i.exportId}`,
  };
  // The head object without its closing brace, then the body opened by hand and closed at the end.
  await put(i.out, `${JSON.stringify(head).slice(0, -1)},"epcisBody":{"eventList":[`);

  let events = 0;
  let codes = 0;
  let after: number | null = null;
  for (;;) {
    const page = await repo.codesPage(i.knex, i.exportId, after, pageSize);
    if (page.length === 0) break;
    const movements = await repo.movementsOf(i.knex, i.exportId, i.unitId, page, horizon.movementId);
    const packs = await repo.packEventsOf(i.knex, i.exportId, i.unitId, page, horizon.packEventId);
    const list = pageEvents(unit.uscc, { movements, packs });
    if (list.length > 0) {
      const text = list.map((e) => JSON.stringify(e)).join(',');
      await put(i.out, events > 0 ? `,${text}` : text);
      events += list.length;
    }
    codes += page.length;
    i.onProgress?.(codes);
    after = page[page.length - 1]!.seq;
    if (page.length < pageSize) break;
  }

  await put(i.out, ']}}\n');
  return { events, codes };
}
