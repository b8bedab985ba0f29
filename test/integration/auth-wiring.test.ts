import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRoutes } from '../../server/http/route-list.js';
import path from 'node:path';
import { createPtyPair } from '../../drivers/virtual/pty-pair.js';
import { joinStation, waitFor } from '../helpers/socket.js';
import { startTestWorkstation, tempDir, type TestWorkstation } from '../helpers/workstation.js';

const PUBLIC = new Set(['GET /api/health', 'POST /api/session', 'DELETE /api/session']);

describe('every route and socket command needs a session (issue 4)', () => {
  let ws: TestWorkstation;
  let stationId: number;
  let queryStationId: number;

  beforeAll(async () => {
    ws = await startTestWorkstation();
    stationId = (await ws.createStation('收货权限', 'receiving')).id;
    // The scans below are about who scanned, not dock rules: a query desk keeps the plain journal.
    queryStationId = (await ws.createStation('查询台')).id;
  });
  afterAll(async () => {
    await ws?.stop();
  });

  it('enumerates every API route: all but login, logout and health refuse an unauthenticated caller', async () => {
    const routes = listRoutes(ws.app).filter((r) => r.path.startsWith('/api/'));
    expect(routes.length).toBeGreaterThan(25);
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['POST /api/stations/:id/scans', 'GET /api/audit/verify', 'POST /api/grants']));
    for (const r of routes) {
      const url = ws.url + r.path.replace(/:[a-z]+/gi, String(stationId));
      for (const cookie of [undefined, 'td_session=forged-token', `td_session=${'A'.repeat(43)}`]) {
        const res = await fetch(url, {
          method: r.method,
          headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
          body: r.method === 'GET' ? undefined : '{}',
        });
        if (PUBLIC.has(`${r.method} ${r.path}`)) {
          expect(res.status, `${r.method} ${r.path}`).not.toBe(401);
          continue;
        }
        expect(res.status, `${r.method} ${r.path} (${cookie ?? 'no cookie'})`).toBe(401);
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(['AUTH_REQUIRED', 'SESSION_INVALID']).toContain(body.error.code);
        expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/); // no stack traces to the client
      }
    }
    expect(await ws.repos.scans.total()).toBe(0);
  });

  it('an operator without the business gets a 403 naming the business and the unit', async () => {
    const admin = ws.session;
    const worker = (await (await ws.api('/api/operators', { method: 'POST', body: JSON.stringify({ username: 'fahuo01', displayName: '发货员', password: 'Fa#huo2026x' }) })).json()) as { id: number };
    await ws.api('/api/bindings', { method: 'POST', body: JSON.stringify({ operatorId: worker.id, unitId: admin.unitId }) });
    await ws.api('/api/grants', { method: 'POST', body: JSON.stringify({ operatorId: worker.id, unitId: admin.unitId, business: 'dispatch' }) });
    const login = await fetch(`${ws.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'fahuo01', password: 'Fa#huo2026x' }) });
    const cookie = /td_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
    const as = (path: string, method = 'GET', body?: unknown) =>
      fetch(ws.url + path, { method, headers: { 'content-type': 'application/json', cookie, 'accept-language': 'zh-CN' }, body: body === undefined ? undefined : JSON.stringify(body) });
    expect(((await (await as('/api/scans')).json()) as { error: { code: string } }).error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await as('/api/session/password', 'POST', { currentPassword: 'Fa#huo2026x', newPassword: 'Ship!Out2026' })).status).toBe(204);
    expect(((await (await as('/api/scans')).json()) as { error: { code: string } }).error.code).toBe('UNIT_NOT_CHOSEN');
    expect((await as('/api/session/unit', 'POST', { unitId: admin.unitId })).status).toBe(200);

    const res = await as(`/api/stations/${stationId}/scans`, 'POST', { raw: '83857930000879766660' });
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('FORBIDDEN');
    expect(body.error.message).toMatch(/收货入库/);
    expect(body.error.message).toMatch(/兰州示范医药有限公司/);
    expect((await as('/api/stations', 'POST', { name: 'x' })).status).toBe(403);
    expect(await ws.repos.scans.total()).toBe(0);
  });

  it('scans carry the operator and unit of the session', async () => {
    const s = await ws.postScan(queryStationId, '83857930000879766661');
    expect(s).toMatchObject({ decision: 'accepted', operatorId: ws.session.operatorId, unitId: ws.session.unitId });
  });

  it('socket: no cookie or a forged one never connects; logout ends live connections and the handshake cannot be replayed', async () => {
    const refused = async (cookie?: string) =>
      new Promise<string>((resolve) => {
        const s = io(ws.url, { transports: ['websocket'], forceNew: true, reconnection: false, ...(cookie ? { extraHeaders: { cookie } } : {}) });
        s.on('connect', () => resolve('connected'));
        s.on('connect_error', (e) => resolve(e.message));
      });
    expect(await refused()).toBe('AUTH_REQUIRED');
    expect(await refused('td_session=forged')).toBe('SESSION_INVALID');

    const login = await fetch(`${ws.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'Dock&Work2026' }) });
    const cookie = /td_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
    await fetch(`${ws.url}/api/session/unit`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ unitId: ws.session.unitId }) });
    const client = await joinStation(ws.url, stationId, cookie);
    const gone = new Promise<void>((r) => client.socket.on('disconnect', () => r()));
    expect((await fetch(`${ws.url}/api/session`, { method: 'DELETE', headers: { cookie } })).status).toBe(204);
    await gone;
    client.close();
    expect(await refused(cookie)).toBe('SESSION_INVALID');
  });

  it('a station screen signs the station in: hardware scans carry its operator; with nobody there they are kept but not accepted', async () => {
    const actor = { operatorId: ws.session.operatorId, unitId: ws.session.unitId };
    const pty = await createPtyPair(path.join(tempDir('tracedock-presence-'), 'scanner'));
    await ws.services.scanners.bind({ transport: 'serial', path: pty.scannerPath, stationId: queryStationId, options: { suffix: 'CR' } });
    expect(ws.presence.current(queryStationId)).toBeNull();
    await pty.write('83857930000879766699\r');
    const unattended = await waitFor(async () => (await ws.repos.scans.list({ stationId: queryStationId, limit: 1 })).find((r) => r.text === '83857930000879766699'));
    expect(unattended).toMatchObject({ decision: 'rejected', reasonCode: 'station_unattended', operatorId: null });
    expect(unattended.raw.toString()).toBe('83857930000879766699');

    const client = await joinStation(ws.url, queryStationId, ws.session.cookie);
    expect(ws.presence.current(queryStationId)).toEqual(actor);
    await pty.write('83857930000879766699\r');
    const attended = await client.waitFor(() => client.recorded.find((r) => r.text === '83857930000879766699'));
    expect(attended).toMatchObject({ decision: 'accepted', operatorId: actor.operatorId, unitId: actor.unitId });
    client.close();
    await pty.close();
    await new Promise((r) => setTimeout(r, 200));
    expect(ws.presence.current(queryStationId)).toBeNull();
  });
});

describe('login brake per client address', () => {
  it('after 20 attempts a minute from one address, login answers 429 with Retry-After, even for the right password', async () => {
    const ws = await startTestWorkstation();
    try {
      const attempt = (password: string) =>
        fetch(`${ws.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: `nobody${Math.random().toString(36).slice(2, 8)}`, password }) });
      const statuses: number[] = [];
      for (let i = 0; i < 19; i++) statuses.push((await attempt('Wrong#Pass2026')).status); // the helper's own login was the 1st
      expect(statuses.every((s) => s === 401)).toBe(true);
      const blocked = await fetch(`${ws.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'Dock&Work2026' }) });
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await blocked.json()) as { error: { code: string } }).error.code).toBe('TOO_MANY_ATTEMPTS');
    } finally {
      await ws.stop();
    }
  });
});
