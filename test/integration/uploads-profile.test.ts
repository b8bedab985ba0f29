import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInNhsaProfile, parseNhsaProfile } from '../../server/platforms/nhsa/profile.js';
import { startNhsaSandbox, type NhsaSandbox } from '../../server/platforms/sandbox/nhsa/index.js';
import { dockStation, json, openDocument, seedCase, seedDock } from '../helpers/dock.js';
import { uploadsWhen } from '../helpers/uploads.js';
import { startTestWorkstation, tempDir, type TestWorkstation } from '../helpers/workstation.js';

/** The official specification arrives: other paths, other field names, another answer envelope. */
function renamedProfile(): unknown {
  const p = JSON.parse(JSON.stringify(builtInNhsaProfile())) as Record<string, any>;
  p.profileVersion = 'official-2027.01';
  p.response = { ...p.response, code: 'infcode', message: 'err_msg', serverTime: 'resp_time', failures: { list: 'output.fails', message: 'reason' } };
  p.query = { list: 'output.rows', total: 'output.total', typeField: 'src_type' };
  const circ = p.operations.circulation;
  circ.path = '/fsi/api/v2/4101/flowInfoUpload';
  circ.listField = 'trac_list';
  for (const f of [...circ.header, ...circ.item]) {
    if (f.name === 'drug_trac_codg') f.name = 'trac_code';
    if (f.name === 'bill_no') f.name = 'doc_no';
    if (f.name === 'flow_dir') f.values = { in: 'IN', out: 'OUT' };
  }
  p.operations.queryByCode.path = '/fsi/api/v2/4201/queryByCode';
  p.operations.queryByCode.params.code = 'trac_code';
  return parseNhsaProfile(p, 'renamed').profile;
}

// Acceptance: replacing the profile file changes what is sent — without a code change.
describe('a replaced interface profile', () => {
  let sandbox: NhsaSandbox;
  let ws: TestWorkstation;
  const account = { ak: 'official-ak', sk: 'official-sk', uscc: '91350100M000100Y43', name: '兰州示范医药有限公司' };

  beforeAll(async () => {
    const profile = renamedProfile() as ReturnType<typeof builtInNhsaProfile>;
    sandbox = await startNhsaSandbox({ profile, accounts: [account] });
    const dir = tempDir();
    const file = path.join(dir, 'official-profile.json');
    fs.writeFileSync(file, JSON.stringify(profile, null, 2));
    ws = await startTestWorkstation({ env: { TRACEDOCK_NHSA_URL: sandbox.url, TRACEDOCK_NHSA_AK: account.ak, TRACEDOCK_NHSA_SK: account.sk, TRACEDOCK_NHSA_PROFILE: file, TRACEDOCK_UPLOAD_GRACE_MS: '100' } });
  });
  afterAll(async () => {
    await ws?.stop();
    await sandbox?.close();
  });

  it('sends the new paths, field names and values, and reads the new answers', async () => {
    const fx = await seedDock(ws.db.knex, ws.session.unitId);
    const station = await dockStation(ws, '收货', 'receiving');
    const c = await seedCase(ws.db.knex);
    const doc = await openDocument(ws, { direction: 'in', number: 'RK-OFFICIAL-1', type: '102', counterpartyId: fx.supplierId, stationId: station.id });
    await ws.postScan(station.id, c.case);
    await json(ws, 'POST', `/api/documents/${doc.id}/complete`, {});
    const s = await uploadsWhen(ws, (x) => x.totals.accepted >= 16);
    expect(s.totals.accepted).toBe(16);
    expect(s.target).toMatchObject({ profileVersion: 'official-2027.01', profileSource: expect.stringContaining('official-profile.json') });
    const rows = sandbox.rows({ queryType: 'circulation' });
    expect(rows).toHaveLength(16);
    expect(rows[0]!.fields).toMatchObject({ doc_no: 'RK-OFFICIAL-1', flow_dir: 'IN' });
    expect(rows[0]!.fields).not.toHaveProperty('drug_trac_codg');
    expect(rows.map((r) => r.fields.trac_code).sort()).toEqual([c.case, ...c.middles, ...c.units].sort());
    const sent = (await ws.db.knex('upload_batches').where({ channel: 'api' }).select('param_text')) as Array<{ param_text: string }>;
    expect(sent.every((b) => b.param_text.includes('"trac_list":[') && !b.param_text.includes('drug_trac_codg'))).toBe(true);
  });

  it('resolves an unknown outcome with the renamed query', async () => {
    sandbox.setFaults({ hangMs: 300 });
    await ws.uploads.worker.stop();
    const c = await seedCase(ws.db.knex);
    const station = await dockStation(ws, '收货二', 'receiving');
    const fxSupplier = ((await ws.db.knex('counterparties').first('id')) as { id: number }).id;
    const doc = await openDocument(ws, { direction: 'in', number: 'RK-OFFICIAL-2', type: '102', counterpartyId: fxSupplier, stationId: station.id });
    await ws.postScan(station.id, c.case);
    await json(ws, 'POST', `/api/documents/${doc.id}/complete`, {});
    // Every call of this drain is stored but its answer lost: only the renamed query can tell.
    sandbox.forceFaults(Array.from({ length: 8 }, () => 'drop-after-store' as const));
    await ws.uploads.worker.start();
    const s = await uploadsWhen(ws, (x) => x.totals.accepted >= 32, 20_000);
    expect(s.totals.accepted).toBe(32);
    expect(sandbox.duplicates()).toEqual([]);
    expect(sandbox.stats().calls).toMatchObject({ queryByCode: expect.any(Number) });
    const events = (await ws.db.knex('upload_events').where({ event: 'resolved-accepted' }).count({ n: '*' }).first()) as { n: number };
    expect(Number(events.n)).toBeGreaterThan(0);
  });
});
