import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinStation, type StationClient } from '../helpers/socket.js';
import { startTestWorkstation, type TestWorkstation } from '../helpers/workstation.js';

/** A real failure of the real SQLite file: a trigger makes the journal refuse selected inserts. */
async function poison(ws: TestWorkstation, condition: string): Promise<void> {
  await ws.db.knex.raw(`CREATE TRIGGER test_poison BEFORE INSERT ON scan_events WHEN ${condition} BEGIN SELECT RAISE(ABORT, 'disk I/O error (simulated)'); END`);
}

describe('persist first, emit after commit', () => {
  let ws: TestWorkstation;
  let client: StationClient;
  let stationId: number;

  beforeAll(async () => {
    ws = await startTestWorkstation();
    stationId = (await ws.createStation('出库一号')).id;
    client = await joinStation(ws.url, stationId, ws.session.cookie);
  });
  afterAll(async () => {
    client?.close();
    await ws?.stop();
  });

  it('when the database write fails, no scan.recorded is emitted and the client gets a rejection with a reason', async () => {
    await poison(ws, '1');
    const res = await ws.api(`/api/stations/${stationId}/scans`, {
      method: 'POST',
      headers: { 'accept-language': 'en' },
      body: JSON.stringify({ raw: '83857930000879766660' }),
    });
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('STORAGE_FAILED');
    expect(body.error.message).toMatch(/scan again/);

    const rejected = await client.waitFor(() => client.rejected.find((s) => s.reasonCode === 'storage_failed'));
    expect(rejected.id).toBeNull();
    expect(rejected.reason?.['zh-CN']).toMatch(/重扫/);
    await new Promise((r) => setTimeout(r, 100));
    expect(client.recorded).toEqual([]);
    expect(await ws.repos.scans.total()).toBe(0);

    // …and the scan is not lost: it waits in the spool file for replay.
    const spooled = fs.readFileSync(`${ws.dataDir}/spool/unsaved-scans.ndjson`, 'utf8').trim().split('\n');
    expect(spooled).toHaveLength(1);
    expect(Buffer.from(JSON.parse(spooled[0]!).rawBase64, 'base64').toString()).toBe('83857930000879766660');
    await ws.db.knex.raw('DROP TRIGGER test_poison');
  });

  it('one failing scan in a burst does not take its neighbours down, and order is kept', async () => {
    await poison(ws, "NEW.text = '83857930000000009999'");
    const code = (n: number) => `8385793000000000000${n}`;
    const texts = [code(1), code(2), '83857930000000009999', code(3), code(4)];
    const results = await Promise.allSettled(
      texts.map((t) => ws.services.scans.submit({ actor: { operatorId: ws.session.operatorId, unitId: ws.session.unitId }, stationId, deviceId: 'test', source: 'http', bytes: Buffer.from(t), text: t, validUtf8: true, receivedAt: Date.now() })),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const rows = await ws.repos.scans.list({ stationId, limit: 10 });
    expect(rows.map((r) => r.text).reverse()).toEqual([code(1), code(2), code(3), code(4)]);
    await client.waitFor(() => client.recorded.length === 4 || undefined);
    expect(client.recorded.map((s) => s.text)).toEqual([code(1), code(2), code(3), code(4)]);
    await ws.db.knex.raw('DROP TRIGGER test_poison');
  });

  it('the journal is append-only: UPDATE and DELETE are refused by the database itself', async () => {
    await expect(ws.db.knex('scan_events').update({ decision: 'accepted' })).rejects.toThrow(/append-only/);
    await expect(ws.db.knex('scan_events').del()).rejects.toThrow(/append-only/);
  });
});
