import { afterAll, describe, expect, it } from 'vitest';
import { builtInNhsaProfile } from '../../server/platforms/nhsa/profile.js';
import { startNhsaSandbox, type NhsaSandbox } from '../../server/platforms/sandbox/nhsa/index.js';
import { dockStation, json, openDocument, seedCase, seedDock } from '../helpers/dock.js';
import { uploadsWhen } from '../helpers/uploads.js';
import { startTestWorkstation, type TestWorkstation } from '../helpers/workstation.js';

// The platform is unreachable for a while (network down, platform maintenance): nothing is lost,
// the endpoint is backed off, and the backlog drains by itself when the platform is back.
describe('uploads while the platform is unreachable', () => {
  let sandbox: NhsaSandbox | undefined;
  let ws: TestWorkstation | undefined;
  const account = { ak: 'offline-ak', sk: 'offline-sk', uscc: '91350100M000100Y43', name: '兰州示范医药有限公司' };
  afterAll(async () => {
    await ws?.stop();
    await sandbox?.close();
  });

  it('holds the records, backs off, and resumes on its own', async () => {
    const profile = builtInNhsaProfile();
    sandbox = await startNhsaSandbox({ profile, accounts: [account] });
    const port = Number(new URL(sandbox.url).port);
    await sandbox.close(); // the platform goes away before anything is sent
    ws = await startTestWorkstation({ env: { TRACEDOCK_NHSA_URL: `http://127.0.0.1:${port}`, TRACEDOCK_NHSA_AK: account.ak, TRACEDOCK_NHSA_SK: account.sk, TRACEDOCK_UPLOAD_BACKOFF_MS: '20', TRACEDOCK_UPLOAD_BACKOFF_MAX_MS: '300' } });
    const fx = await seedDock(ws.db.knex, ws.session.unitId);
    const station = await dockStation(ws, '收货', 'receiving');
    const c = await seedCase(ws.db.knex);
    const doc = await openDocument(ws, { direction: 'in', number: 'RK-OFF-1', type: '102', counterpartyId: fx.supplierId, stationId: station.id });
    await ws.postScan(station.id, c.case);
    await json(ws, 'POST', `/api/documents/${doc.id}/complete`, {});

    // Several failed tries in a row: the endpoint is held, the monitor says until when.
    // (A try may be on its way when the hold starts: wait for it to come back to pending.)
    const held = await uploadsWhen(ws, (s) => s.endpoint.retryAt !== null && s.totals.pending === 16);
    expect(held.endpoint.consecutiveFailures).toBeGreaterThanOrEqual(5);
    expect(held.totals).toMatchObject({ pending: 16, accepted: 0, unknown: 0 });
    const notSent = (await ws.db.knex('upload_events').where({ event: 'not-sent' }).count({ n: '*' }).first()) as { n: number };
    expect(Number(notSent.n)).toBeGreaterThan(0);

    sandbox = await startNhsaSandbox({ profile, accounts: [account], port });
    const back = await uploadsWhen(ws, (s) => s.totals.accepted === 16);
    expect(back.totals).toMatchObject({ accepted: 16, pending: 0 });
    expect(back.endpoint).toEqual({ consecutiveFailures: 0, retryAt: null });
    expect(sandbox.rows()).toHaveLength(16);
  });
});
