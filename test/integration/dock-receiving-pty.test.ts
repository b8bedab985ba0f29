import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentDetailView } from '../../server/contract/dock.js';
import type { ScanView } from '../../server/contract/views.js';
import { createPtyPair, type PtyPair } from '../../drivers/virtual/pty-pair.js';
import { dockStation, GTIN_UNIT, json, openDocument, PREFIX, seedCase, seedDock, seedLooseUnit, traceCode, type DockFixture } from '../helpers/dock.js';
import { joinStation, type StationClient } from '../helpers/socket.js';
import { startTestWorkstation, tempDir, type TestWorkstation } from '../helpers/workstation.js';

const FIXTURE = path.join(import.meta.dirname, '../fixtures/relations/case-1-5-10.xml');
const CASE = '81000030000000019999';
const UNIT_IN_CASE = '81000010000000219999';

// Issue 5 acceptance, end to end: a serial scanner on a real pseudo-terminal, the manufacturer's
// relation file imported over HTTP, the document chosen by scanning its number, live progress on
// the station's socket room, completion with the FAQ's circulation record.
describe('receiving over a real pty scanner', () => {
  let ws: TestWorkstation;
  let pty: PtyPair;
  let client: StationClient;
  let fx: DockFixture;
  let station: number;
  let loose: string[];
  const scannerPath = path.join(tempDir('tracedock-dock-pty-'), 'scanner0');

  /** Writes one scan as the scanner would (CR suffix) and waits for its fact on the socket. */
  const scan = async (code: string): Promise<ScanView> => {
    const before = new Set([...client.recorded, ...client.rejected].map((s) => s.id));
    await pty.write(`${code}\r`);
    return client.waitFor(() => [...client.recorded, ...client.rejected].find((s) => s.text === code && !before.has(s.id)));
  };

  beforeAll(async () => {
    ws = await startTestWorkstation();
    fx = await seedDock(ws.db.knex, ws.session.unitId);
    const imported = await ws.api('/api/relations/import?format=xml&name=case-1-5-10.xml', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: fs.readFileSync(FIXTURE) });
    expect(imported.status).toBeLessThan(300);
    loose = [await seedLooseUnit(ws.db.knex), await seedLooseUnit(ws.db.knex)];
    station = (await dockStation(ws, '收货一号', 'receiving')).id;
    pty = await createPtyPair(scannerPath);
    const res = await ws.api('/api/scanners', { method: 'POST', body: JSON.stringify({ transport: 'serial', path: scannerPath, stationId: station, label: 'dock-1', options: { suffix: 'CR' } }) });
    expect(res.status).toBe(201);
    client = await joinStation(ws.url, station, ws.session.cookie);
  });

  afterAll(async () => {
    client?.close();
    await pty?.close();
    await ws?.stop();
  });

  it('one case of 1:5:10 plus two loose units: complete with zero missing; wrong scans rejected with their reasons', async () => {
    const other = await seedCase(ws.db.knex);
    const doc = await openDocument(ws, { direction: 'in', number: 'RK20261122001', type: '102', counterpartyId: fx.supplierId, expected: { codes: [CASE, ...loose] } });

    // The delivery note's barcode is the document number: scanning it selects the document.
    expect(await scan('RK20261122001')).toMatchObject({ decision: 'accepted', effect: { action: 'select_document', documentId: doc.id } });
    await client.waitFor(() => client.contexts.find((c) => c.document?.id === doc.id && c.reconciliation?.expected === 12));

    expect(await scan(CASE)).toMatchObject({ decision: 'accepted', source: 'serial', effect: { action: 'receive', units: 10, codes: 16 } });
    await client.waitFor(() => client.progress.find((p) => p.received === 10 && p.missing === 2));

    expect(await scan(loose[0]!)).toMatchObject({ decision: 'accepted', effect: { units: 1 } });

    const wrongProduct = await scan(traceCode(PREFIX.otherUnit));
    expect(wrongProduct).toMatchObject({ decision: 'rejected', reasonCode: 'not_on_document' });
    const duplicate = await scan(UNIT_IN_CASE);
    expect(duplicate).toMatchObject({ decision: 'duplicate', reasonCode: 'received_with_case' });
    expect(duplicate.reason!['zh-CN']).toContain(CASE);
    const fromOtherCase = await scan(other.units[1]!);
    expect(fromOtherCase).toMatchObject({ decision: 'rejected', reasonCode: 'inside_other_case' });
    expect(fromOtherCase.reason!['zh-CN']).toContain(other.case);
    expect(await scan(GTIN_UNIT)).toMatchObject({ decision: 'rejected', reasonCode: 'commodity_not_trace' });

    expect(await scan(loose[1]!)).toMatchObject({ decision: 'accepted' });
    const done = await client.waitFor(() => client.progress.find((p) => p.complete));
    expect(done).toMatchObject({ expected: 12, received: 12, missing: 0, unexpected: 0 });

    const completed = await json<DocumentDetailView>(ws, 'POST', `/api/documents/${doc.id}/complete`, {});
    expect(completed.document.status).toBe('completed');
    expect(completed.circulation).toMatchObject({
      direction: 'in',
      circulationUnitName: expect.any(String),
      circulationUnitUscc: '91350100M000100Y43',
      shipperName: '华北制药股份有限公司',
      receiverUscc: '91350100M000100Y43',
      shipStatus: 'shipped',
      receiveStatus: 'received',
    });
    const states = (await ws.db.knex('code_states').where({ unit_id: ws.session.unitId, state: 'in_stock' }).count({ n: '*' })) as Array<{ n: number }>;
    expect(Number(states[0]!.n)).toBe(18);
  });
});
