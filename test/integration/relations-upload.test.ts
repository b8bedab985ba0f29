import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RelationImportView } from '../../server/contract/relations.js';
import { startTestWorkstation, type TestWorkstation } from '../helpers/workstation.js';
import { relationXmlChunks } from '../../server/domain/hierarchy/relation-xml/index.js';
import { generatedRelations } from '../../scripts/bench/relation-file.js';

const imports = async (ws: TestWorkstation) => (await (await ws.api('/api/relations/imports')).json()) as RelationImportView[];
const packCount = async (ws: TestWorkstation) => Number(((await ws.db.knex('packs').count({ n: '*' })) as Array<{ n: number }>)[0]!.n);

async function xmlOf(cases: number): Promise<string> {
  let s = '';
  for await (const c of relationXmlChunks(generatedRelations(cases))) s += c;
  return s;
}

/** A raw upload whose head we control (fetch cannot lie about Content-Length or stop half-way). */
function rawUpload(ws: TestWorkstation, headers: Record<string, string>): http.ClientRequest {
  const url = new URL('/api/relations/import?name=raw.xml', ws.url);
  return http.request(url, { method: 'POST', headers: { cookie: ws.session.cookie, 'content-type': 'application/xml', ...headers } });
}

async function until<T>(f: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('relation upload edge cases', () => {
  let ws: TestWorkstation;
  beforeAll(async () => {
    ws = await startTestWorkstation();
  });
  afterAll(async () => {
    await ws?.stop();
  });

  it('an upload cut off half-way is recorded as RELATION_UPLOAD_ABORTED and writes nothing', async () => {
    const xml = Buffer.from(await xmlOf(2000));
    const req = rawUpload(ws, { 'content-length': String(xml.length) });
    req.on('error', () => {}); // we are the ones cutting it
    req.write(xml.subarray(0, xml.length >> 1));
    await until(async () => ((await imports(ws))[0]?.status === 'running' ? true : undefined));
    await new Promise((r) => setTimeout(r, 200)); // let the reader take what was sent
    req.destroy();
    const failed = await until(async () => {
      const list = await imports(ws);
      return list[0]?.status === 'failed' ? list[0] : undefined;
    });
    expect(failed.error?.code).toBe('RELATION_UPLOAD_ABORTED');
    expect(await packCount(ws)).toBe(0);
    expect(await until(async () => ((await ws.db.knex('relation_imports').where({ status: 'running' })).length === 0 ? true : undefined))).toBe(true);
  });

  it('a declared length over 512 MB is refused before reading, and the client gets the answer', async () => {
    const req = rawUpload(ws, { 'content-length': String(600 * 1024 * 1024) });
    req.on('error', () => {});
    const res = await new Promise<http.IncomingMessage>((resolve) => {
      req.on('response', resolve);
      req.write('<Document>');
    });
    let body = '';
    for await (const c of res) body += String(c);
    req.destroy();
    expect(res.statusCode).toBe(413);
    expect(JSON.parse(body).error.code).toBe('RELATION_FILE_TOO_LARGE');
  });

  it('a second import while one runs is refused with RELATION_IMPORT_BUSY, nothing recorded for it', async () => {
    const xml = Buffer.from(await xmlOf(2000));
    const slow = rawUpload(ws, { 'content-length': String(xml.length) });
    slow.on('error', () => {});
    const slowAnswer = new Promise<number | undefined>((resolve) => slow.on('response', (r) => resolve(r.statusCode)));
    slow.write(xml.subarray(0, 1000));
    await until(async () => ((await imports(ws))[0]?.status === 'running' ? true : undefined));
    const before = (await imports(ws)).length;
    const res = await ws.api('/api/relations/import', { method: 'POST', body: await xmlOf(10), headers: { 'content-type': 'application/xml' } });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('RELATION_IMPORT_BUSY');
    expect((await imports(ws)).length).toBe(before);
    slow.end(xml.subarray(1000));
    expect(await slowAnswer).toBe(201);
  });

  it('a file refused at its first lines still answers while the client is sending the rest', async () => {
    const xml = (await xmlOf(20_000)).replace('<Events Version="3.0">', '<Events Version="3.0"><Oops>');
    const res = await ws.api('/api/relations/import', { method: 'POST', body: xml, headers: { 'content-type': 'application/xml' } });
    expect(xml.length).toBeGreaterThan(20 * 1024 * 1024);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('RELATION_FILE_INVALID');
    expect((await ws.api('/api/relations/imports')).status).toBe(200); // the connection pool is still usable
  });

  it('an import a restart interrupted is marked failed on the next start', async () => {
    const fresh = await startTestWorkstation();
    try {
      await fresh.db.knex('relation_imports').insert({ unit_id: 1, operator_id: 1, file_name: 'lost.xml', format: 'xml', status: 'running', records: 0, started_at: 1 });
      const list = await imports(fresh);
      expect(list[0]).toMatchObject({ fileName: 'lost.xml', status: 'failed' });
      expect(list[0]!.error?.code).toBe('RELATION_IMPORT_INTERRUPTED');
    } finally {
      await fresh.stop();
    }
  });
});
