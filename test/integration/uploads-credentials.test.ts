import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInNhsaProfile } from '../../server/platforms/nhsa/profile.js';
import { startNhsaSandbox, type NhsaSandbox } from '../../server/platforms/sandbox/nhsa/index.js';
import { dockStation, json, openDocument, seedCase, seedDock } from '../helpers/dock.js';
import { uploadsWhen } from '../helpers/uploads.js';
import { startTestWorkstation, type TestWorkstation } from '../helpers/workstation.js';

// Per-unit credentials against a configured platform: a unit without keys waits (and the monitor
// says why); once its keys are entered, its records go with them.
describe('uploads with per-unit credentials', () => {
  let sandbox: NhsaSandbox;
  let ws: TestWorkstation;
  const unitKeys = { ak: 'unit-own-ak', sk: 'unit-own-sk-密', uscc: '91350100M000100Y43', name: '兰州示范医药有限公司' };

  beforeAll(async () => {
    sandbox = await startNhsaSandbox({ profile: builtInNhsaProfile(), accounts: [unitKeys] });
    ws = await startTestWorkstation({ env: { TRACEDOCK_NHSA_URL: sandbox.url, TRACEDOCK_UPLOAD_GRACE_MS: '100' } });
  });
  afterAll(async () => {
    await ws?.stop();
    await sandbox?.close();
  });

  it('waits without keys, then uploads with the unit’s own keys', async () => {
    const fx = await seedDock(ws.db.knex, ws.session.unitId);
    const station = await dockStation(ws, '收货', 'receiving');
    const c = await seedCase(ws.db.knex);
    const doc = await openDocument(ws, { direction: 'in', number: 'RK-KEYS-1', type: '102', counterpartyId: fx.supplierId, stationId: station.id });
    await ws.postScan(station.id, c.case);
    await json(ws, 'POST', `/api/documents/${doc.id}/complete`, {});
    const waiting = await uploadsWhen(ws, (s) => s.totals.pending === 16);
    expect(waiting.target.mode).toBe('configured');
    expect(waiting.backlog[0]).toMatchObject({ missingCredentials: true, counts: { pending: 16 } });
    expect(sandbox.stats().stored).toBe(0);

    await json(ws, 'PUT', `/api/units/${ws.session.unitId}/credentials`, { nhsaAk: unitKeys.ak, nhsaSk: unitKeys.sk });
    const done = await uploadsWhen(ws, (s) => s.totals.accepted === 16);
    expect(done.totals.accepted).toBe(16);
    expect(done.backlog[0]!.missingCredentials).toBe(false);
    expect(sandbox.rows({ ak: unitKeys.ak })).toHaveLength(16);
  });
});
