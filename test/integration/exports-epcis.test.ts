import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentView } from '../../server/contract/dock.js';
import type { SaleView } from '../../server/contract/retail.js';
import { writeEpcisDocument } from '../../server/services/exports/epcis/write.js';
import { dockStation, json, seedCase, seedDock, seedLooseUnit, type CaseTree, type DockFixture } from '../helpers/dock.js';
import { DIALECTS, uscc } from '../helpers/master-data.js';
import { startTempPostgres, type TempPostgres } from '../helpers/postgres.js';
import { startTestWorkstation, tempDir, type TestWorkstation } from '../helpers/workstation.js';

// The EPCIS 2.0 JSON-LD export (issue 8 §4) over data made by the real dock flows (receiving,
// unpacking, lock, undo, cancellation, a split shipment), validated against GS1's own JSON schema
// (test/fixtures/epcis, see its README for where the file comes from).

interface EpcisEvent {
  type: string;
  eventTime: string;
  eventTimeZoneOffset: string;
  eventID: string;
  action: string;
  bizStep?: string;
  disposition?: string;
  epcList?: string[];
  parentID?: string;
  childEPCs?: string[];
  readPoint?: { id: string };
  bizLocation?: { id: string };
  bizTransactionList?: Array<{ type?: string; bizTransaction: string }>;
  sourceList?: Array<{ type: string; source: string }>;
  destinationList?: Array<{ type: string; destination: string }>;
  errorDeclaration?: { declarationTime: string; reason: string };
}
interface EpcisDoc {
  '@context': string[];
  type: string;
  schemaVersion: string;
  creationDate: string;
  epcisBody: { eventList: EpcisEvent[] };
}

const SCHEMA = path.resolve(import.meta.dirname, '../fixtures/epcis/EPCIS-JSON-Schema.json');
const GS1_SCAN = '(01)06901234567892(21)EPC0001';
const GS1_KEY = '010690123456789221EPC0001';
const GS1_URI = 'https://id.gs1.org/01/06901234567892/21/EPC0001';
const SUPPLIER_USCC = '91110000600037341L';
// seedDock's customer shares the unit's USCC; a customer of its own tells source from destination.
const CUSTOMER_USCC = uscc(4711);
const trace = (code: string) => `urn:nhsa:tracecode:${code}`;

function compileSchema(): ValidateFunction {
  // strictRequired off: GS1's schema lists `required` names inside if/then branches that do not
  // repeat the properties there — legal JSON Schema that Ajv's strict lint rejects. Every other
  // strict check stays on, and formats (uri, date-time) are checked in full mode.
  const ajv = new Ajv({ strict: true, strictRequired: false, allErrors: true });
  addFormats(ajv, { mode: 'full' });
  return ajv.compile(JSON.parse(fs.readFileSync(SCHEMA, 'utf8')) as object);
}

/** Per-EPC facts of a document: what paging must not change (event ids depend on the split). */
function facts(doc: EpcisDoc): string[] {
  return doc.epcisBody.eventList
    .flatMap((e) => {
      const { eventID: _id, epcList, childEPCs, ...rest } = e;
      return (epcList ?? childEPCs ?? []).map((epc) => JSON.stringify({ ...rest, epc }));
    })
    .sort();
}

// On SQLite, and on PostgreSQL where its binaries are installed: the source queries are raw SQL.
describe.each(DIALECTS)('EPCIS 2.0 export (%s)', (dialect) => {
  let pg: TempPostgres | undefined;
  let ws: TestWorkstation;
  let fx: DockFixture;
  let tree: CaseTree;
  let loose: string[];
  let unitUscc: string;
  let receivingStation: number;
  let exportId: number;
  let saleNumber: string;
  let codes: string[];
  let validate: ValidateFunction;
  let doc: EpcisDoc;
  let result: { events: number; codes: number };
  const dir = tempDir('tracedock-epcis-');

  const openDoc = (body: Record<string, unknown>) => json<DocumentView>(ws, 'POST', '/api/documents', body);
  const complete = (id: number) => json(ws, 'POST', `/api/documents/${id}/complete`, {});
  const accepted = async (station: number, raw: string) => {
    const s = await ws.postScan(station, raw);
    expect(s.decision, `${raw}: ${JSON.stringify(s.reason)}`).toBe('accepted');
    return s;
  };

  beforeAll(async () => {
    validate = compileSchema();
    if (dialect === 'postgres') pg = await startTempPostgres();
    ws = await startTestWorkstation(pg ? { env: { TRACEDOCK_DB_URL: pg.url } } : {});
    expect(ws.db.dialect).toBe(dialect);
    const knex = ws.db.knex;
    fx = await seedDock(knex, ws.session.unitId);
    tree = await seedCase(knex);
    loose = [await seedLooseUnit(knex), await seedLooseUnit(knex)];
    unitUscc = ((await knex('units').where({ id: ws.session.unitId }).first('uscc')) as { uscc: string }).uscc;
    receivingStation = (await dockStation(ws, '收货 E', 'receiving')).id;
    const dispatch = (await dockStation(ws, '发货 E', 'dispatch')).id;
    const aggregation = (await dockStation(ws, '拆箱 E', 'aggregation')).id;

    // PostgreSQL: MovementsRepository.moveSubtree binds a root no relation file knows as untyped
    // parameters (`WITH sub(code, level) AS (SELECT ?, ?)`) and PostgreSQL refuses text for the
    // integer level column. Until that is cast, the GS1 pack is made known the way a relation file would.
    if (dialect === 'postgres') await knex('packs').insert({ code: GS1_KEY, level: 1, parent_code: null, batch: 'B2026', source: 'import', updated_at: Date.now() });

    // Inbound: a whole 1:5:10 case and a GS1 DataMatrix pack, with the supplier's delivery note.
    const rk1 = await openDoc({ direction: 'in', number: 'RK-E001', type: '102', counterpartyId: fx.supplierId, stationId: receivingStation, deliveryNote: 'SH-778' });
    await accepted(receivingStation, tree.case);
    await accepted(receivingStation, GS1_SCAN);
    await complete(rk1.id);

    // 拆箱: one box out of its middle pack, then a middle pack opened (both its boxes leave it).
    await json(ws, 'POST', `/api/stations/${aggregation}/context`, { mode: 'unpack' });
    await accepted(aggregation, tree.units[0]!);
    await accepted(aggregation, tree.middles[1]!);
    // A box put back into that middle pack by mistake, and the pack scan undone.
    await json(ws, 'POST', `/api/stations/${aggregation}/context`, { mode: 'pack' });
    await accepted(aggregation, tree.middles[1]!);
    const repack = await accepted(aggregation, tree.units[3]!);
    expect((await ws.api(`/api/scans/${repack.id}/undo`, { method: 'POST', body: JSON.stringify({ reason: '装错箱' }) })).status).toBe(200);

    // Quarantine and release of the GS1 pack.
    await json(ws, 'POST', `/api/codes/${GS1_KEY}/lock`, { reason: '抽检' });
    await json(ws, 'POST', `/api/codes/${GS1_KEY}/unlock`, { reason: '抽检合格' });

    // A second delivery: one scan undone, then the whole document cancelled.
    const rk2 = await openDoc({ direction: 'in', number: 'RK-E002', type: '102', counterpartyId: fx.supplierId, stationId: receivingStation });
    await accepted(receivingStation, loose[0]!);
    const wrong = await accepted(receivingStation, loose[1]!);
    expect((await ws.api(`/api/scans/${wrong.id}/undo`, { method: 'POST', body: JSON.stringify({ reason: '扫错了' }) })).status).toBe(200);
    await json(ws, 'POST', `/api/documents/${rk2.id}/cancel`, { reason: '供应商撤回' });

    // Outbound: the loose box, a middle pack taken out of the stored case (拆零), the GS1 pack.
    const at = Date.now();
    const [customer] = (await knex('counterparties')
      .insert({ unit_id: ws.session.unitId, name: '兰州新区人民医院', uscc: CUSTOMER_USCC, type: 'hospital', created_at: at, updated_at: at })
      .returning('id')) as Array<{ id: number }>;
    const ck = await openDoc({ direction: 'out', number: 'CK-E001', type: '201', counterpartyId: Number(customer!.id), stationId: dispatch });
    await accepted(dispatch, tree.units[0]!);
    await accepted(dispatch, tree.middles[2]!);
    await accepted(dispatch, GS1_SCAN);
    await complete(ck.id);

    // A retail sale at the counter of a box the unpacking left loose.
    const sale = await json<SaleView>(ws, 'POST', '/api/retail/sales', {});
    await json(ws, 'POST', `/api/retail/sales/${sale.id}/codes`, { code: tree.units[2]! });
    saleNumber = (await json<SaleView>(ws, 'POST', `/api/retail/sales/${sale.id}/complete`, {})).number;

    // The export as the job runner freezes it: one row per code, in seq order.
    codes = [tree.case, ...tree.middles, ...tree.units, GS1_KEY, ...loose];
    const [row] = (await knex('exports')
      .insert({ unit_id: ws.session.unitId, kind: 'codes', format: 'epcis', query: '{}', status: 'running', total: codes.length, created_at: Date.now() })
      .returning('id')) as Array<{ id: number }>;
    exportId = Number(row!.id);
    await knex('export_codes').insert(codes.map((code, i) => ({ export_id: exportId, seq: i + 1, code })));

    const file = path.join(dir, 'export.jsonld');
    const out = fs.createWriteStream(file);
    result = await writeEpcisDocument({ knex, exportId, unitId: ws.session.unitId, out });
    out.end();
    await finished(out);
    doc = JSON.parse(fs.readFileSync(file, 'utf8')) as EpcisDoc;
  }, 120_000);
  afterAll(async () => {
    await ws?.stop();
    await pg?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const objectEvents = (bizStep: string) => doc.epcisBody.eventList.filter((e) => e.type === 'ObjectEvent' && e.bizStep === bizStep);
  const aggregation = (parent: string) => doc.epcisBody.eventList.filter((e) => e.type === 'AggregationEvent' && e.parentID === trace(parent));

  it('validates against the EPCIS 2.0 JSON schema with zero errors', () => {
    const ok = validate(doc);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(doc).toMatchObject({ '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'], type: 'EPCISDocument', schemaVersion: '2.0' });
    expect(doc.creationDate).toMatch(/\+08:00$/);
    expect(result).toEqual({ codes: codes.length, events: doc.epcisBody.eventList.length });
  });

  it('a receiving ObjectEvent carries the whole case, the documents and who shipped to whom', () => {
    const [recv, ...more] = objectEvents('receiving').filter((e) => e.epcList!.includes(trace(tree.case)));
    expect(more).toEqual([]);
    expect(recv).toMatchObject({
      action: 'OBSERVE',
      disposition: 'in_progress',
      eventTimeZoneOffset: '+08:00',
      readPoint: { id: `urn:nhsa:uscc:${unitUscc}:station:${receivingStation}` },
      bizLocation: { id: `urn:nhsa:uscc:${unitUscc}` },
      sourceList: [{ type: 'owning_party', source: `urn:nhsa:uscc:${SUPPLIER_USCC}` }],
      destinationList: [{ type: 'owning_party', destination: `urn:nhsa:uscc:${unitUscc}` }],
      bizTransactionList: [
        { type: 'recadv', bizTransaction: `urn:nhsa:uscc:${unitUscc}:doc:RK-E001` },
        { type: 'desadv', bizTransaction: `urn:nhsa:uscc:${SUPPLIER_USCC}:doc:SH-778` },
      ],
    });
    expect(recv!.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00$/);
    // One event for the case scan: the case, its 5 middles and 10 boxes.
    expect(new Set(recv!.epcList)).toEqual(new Set([tree.case, ...tree.middles, ...tree.units].map(trace)));
    // Completing the inbound document: ownership passes, the codes are stock.
    const accepting = objectEvents('accepting');
    expect(accepting).toHaveLength(1);
    expect(accepting[0]).toMatchObject({ disposition: 'sellable_not_accessible', epcList: expect.arrayContaining([GS1_URI, trace(tree.case)]) });
    expect(accepting[0]!.epcList).toHaveLength(17);
  });

  it('GS1 packs are Digital Link URIs; lock and unlock are a hold and its release', () => {
    expect(objectEvents('receiving').some((e) => e.epcList!.includes(GS1_URI))).toBe(true);
    expect(objectEvents('holding')).toMatchObject([{ epcList: [GS1_URI], disposition: 'non_sellable_other' }]);
    expect(objectEvents('inspecting')).toMatchObject([{ epcList: [GS1_URI], disposition: 'sellable_not_accessible' }]);
  });

  it('unpacking is an AggregationEvent DELETE naming the parent and the children that left it', () => {
    expect(aggregation(tree.middles[0]!)).toMatchObject([{ action: 'DELETE', bizStep: 'unpacking', childEPCs: [trace(tree.units[0]!)] }]);
    // One scan opened the middle pack: its two boxes leave it in one event.
    const opened = aggregation(tree.middles[1]!).filter((e) => e.action === 'DELETE');
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ action: 'DELETE', childEPCs: [trace(tree.units[2]!), trace(tree.units[3]!)] });
    // Shipping one middle pack out of the stored case broke the case (拆零).
    expect(aggregation(tree.case)).toMatchObject([{ action: 'DELETE', bizStep: 'unpacking', childEPCs: [trace(tree.middles[2]!)] }]);
  });

  it('an undone pack scan is the packing AggregationEvent repeated with an error declaration', () => {
    const packed = aggregation(tree.middles[1]!).filter((e) => e.action === 'ADD');
    expect(packed).toHaveLength(2);
    const [original, declared] = packed;
    expect(original).toMatchObject({ bizStep: 'packing', childEPCs: [trace(tree.units[3]!)] });
    expect(original!.errorDeclaration).toBeUndefined();
    expect(declared).toMatchObject({ eventID: original!.eventID, eventTime: original!.eventTime, childEPCs: [trace(tree.units[3]!)], errorDeclaration: { reason: 'did_not_occur' } });
  });

  it('completing the outbound document is a shipping event from us to the customer', () => {
    const [ship, ...more] = objectEvents('shipping');
    expect(more).toEqual([]);
    expect(ship).toMatchObject({
      action: 'OBSERVE',
      disposition: 'in_transit',
      sourceList: [{ type: 'owning_party', source: `urn:nhsa:uscc:${unitUscc}` }],
      destinationList: [{ type: 'owning_party', destination: `urn:nhsa:uscc:${CUSTOMER_USCC}` }],
      bizTransactionList: [{ type: 'desadv', bizTransaction: `urn:nhsa:uscc:${unitUscc}:doc:CK-E001` }],
    });
    expect(ship!.bizLocation).toBeUndefined();
    expect(new Set(ship!.epcList)).toEqual(new Set([trace(tree.units[0]!), trace(tree.middles[2]!), trace(tree.units[4]!), trace(tree.units[5]!), GS1_URI]));
    expect(objectEvents('picking').flatMap((e) => e.epcList)).toHaveLength(5);
  });

  it('a retail sale is retail_selling / retail_sold with the sale number, and no buyer', () => {
    const [sold, ...more] = objectEvents('retail_selling');
    expect(more).toEqual([]);
    expect(sold).toMatchObject({ action: 'OBSERVE', disposition: 'retail_sold', epcList: [trace(tree.units[2]!)], bizTransactionList: [{ bizTransaction: `urn:nhsa:uscc:${unitUscc}:sale:${encodeURIComponent(saleNumber)}` }] });
    expect(sold!.destinationList).toBeUndefined();
    expect(sold!.bizLocation).toBeUndefined();
  });

  it('an undone scan and a cancelled document declare the receipts they reverse void, under the same event id', () => {
    for (const code of loose) {
      const events = objectEvents('receiving').filter((e) => e.epcList!.includes(trace(code)));
      expect(events).toHaveLength(2);
      const [original, declared] = events;
      expect(original!.errorDeclaration).toBeUndefined();
      expect(declared).toMatchObject({ eventID: original!.eventID, eventTime: original!.eventTime, errorDeclaration: { reason: 'did_not_occur' } });
      expect(Date.parse(declared!.errorDeclaration!.declarationTime)).toBeGreaterThanOrEqual(Date.parse(original!.eventTime));
    }
  });

  it('names only the exported codes, in time order, with unique ids except for error declarations', () => {
    const allowed = new Set([...codes.filter((c) => c !== GS1_KEY).map(trace), GS1_URI]);
    for (const e of doc.epcisBody.eventList) for (const epc of e.epcList ?? e.childEPCs ?? []) expect(allowed).toContain(epc);
    const times = doc.epcisBody.eventList.map((e) => Date.parse(e.eventTime));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const plain = doc.epcisBody.eventList.filter((e) => !e.errorDeclaration).map((e) => e.eventID);
    expect(new Set(plain).size).toBe(plain.length);
  });

  it('the schema is live: a document missing an eventTime, or with a bare code as EPC, is rejected', () => {
    const noTime = structuredClone(doc);
    delete (noTime.epcisBody.eventList[0] as Partial<EpcisEvent>).eventTime;
    expect(validate(noTime)).toBe(false);
    expect(validate.errors).toEqual(expect.arrayContaining([expect.objectContaining({ keyword: 'required', params: { missingProperty: 'eventTime' } })]));

    const bareCode = structuredClone(doc);
    const first = bareCode.epcisBody.eventList.find((e) => e.type === 'ObjectEvent')!;
    first.epcList = [tree.case];
    expect(validate(bareCode)).toBe(false);
    expect(validate.errors).toEqual(expect.arrayContaining([expect.objectContaining({ keyword: 'format', params: { format: 'uri' } })]));

    const badOffset = structuredClone(doc);
    badOffset.epcisBody.eventList[0]!.eventTimeZoneOffset = '+8:00';
    expect(validate(badOffset)).toBe(false);
  });

  it('pages of 2 codes give the same events as one page, stream with backpressure and report progress', async () => {
    let maxBuffered = 0;
    let maxChunk = 0;
    const parts: string[] = [];
    // A slow consumer with a tiny buffer: a writer that ignored backpressure would pile pages up here.
    const slow = new Writable({
      highWaterMark: 64,
      write(chunk: Buffer, _enc, cb) {
        maxBuffered = Math.max(maxBuffered, slow.writableLength);
        maxChunk = Math.max(maxChunk, chunk.length);
        parts.push(chunk.toString('utf8'));
        setTimeout(cb, 3);
      },
    });
    const progress: number[] = [];
    const paged = await writeEpcisDocument({ knex: ws.db.knex, exportId, unitId: ws.session.unitId, out: slow, pageSize: 2, onProgress: (n) => progress.push(n) });
    slow.end();
    await finished(slow);
    expect(maxBuffered).toBeLessThanOrEqual(maxChunk);

    const pagedDoc = JSON.parse(parts.join('')) as EpcisDoc;
    expect(validate(pagedDoc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(paged.codes).toBe(codes.length);
    expect(paged.events).toBe(pagedDoc.epcisBody.eventList.length);
    // A movement whose codes span pages becomes one event per page; per code, nothing changes.
    expect(paged.events).toBeGreaterThan(result.events);
    expect(facts(pagedDoc)).toEqual(facts(doc));
    expect(progress).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 19]);
  });
});
