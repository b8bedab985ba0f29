import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTempPostgres, type TempPostgres } from '../helpers/postgres.js';
import { tempDir } from '../helpers/workstation.js';
import { loadConfig } from '../../server/config.js';
import { startWorkstation } from '../../server/workstation.js';
import { pino } from 'pino';

// Several docks can share one PostgreSQL database: the same migrations and repositories must work there.
describe('the same migrations and journal on PostgreSQL', () => {
  let pg: TempPostgres;

  beforeAll(async () => {
    pg = await startTempPostgres();
  }, 60_000);
  afterAll(async () => {
    await pg?.stop();
  });

  it('migrates, records accepted / duplicate / rejected scans with raw bytes, and refuses UPDATE on the journal', async () => {
    const config = loadConfig({ TRACEDOCK_PORT: '0', TRACEDOCK_DATA_DIR: tempDir(), TRACEDOCK_DB_URL: pg.url });
    const w = await startWorkstation(config, { logger: pino({ level: 'silent' }) });
    try {
      expect(w.db.dialect).toBe('postgres');
      const station = await w.services.stations.create({ name: '共享库一号', kind: 'query' });
      const submit = (raw: Buffer) =>
        w.services.scans.submit({ actor: { operatorId: 1, unitId: 1 }, stationId: station.id, deviceId: 'pg-test', source: 'http', bytes: raw, text: raw.toString('utf8'), validUtf8: true, receivedAt: Date.now() });
      const a = await submit(Buffer.from('83857930000879766660'));
      const b = await submit(Buffer.from('83857930000879766660'));
      const c = await submit(Buffer.from([0x41, 0x00, 0x42]));
      expect([a.decision, b.decision, c.decision]).toEqual(['accepted', 'duplicate', 'rejected']);
      expect(b.duplicateOf).toBe(a.id);
      const stored = await w.repos.scans.get(c.id!);
      expect(stored?.raw).toEqual(Buffer.from([0x41, 0x00, 0x42]));
      expect(await w.repos.scans.countsSince(station.id, 0)).toEqual({ accepted: 1, duplicate: 1, rejected: 1, undone: 0 });
      await expect(w.db.knex('scan_events').update({ decision: 'accepted' })).rejects.toThrow(/append-only/);
      await expect(w.db.knex('scan_events').del()).rejects.toThrow(/append-only/);
    } finally {
      await w.stop();
    }
  });
});
