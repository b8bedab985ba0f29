import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../server/config.js';
import type { ScanView, StationView } from '../../server/contract/views.js';
import { startWorkstation, type Workstation, type WorkstationOverrides } from '../../server/workstation.js';
import { DEV_ADMIN_INITIAL_PASSWORD, establishAdminSession, type DevSession } from '../../scripts/lib/dev-session.js';

export interface TestWorkstation extends Workstation {
  dataDir: string;
  /** The admin session every helper call uses (admin, unit chosen, every business granted). */
  session: DevSession;
  /** fetch() against the workstation with the session cookie. */
  api(path: string, init?: RequestInit): Promise<Response>;
  postScan(stationId: number, raw: string): Promise<ScanView>;
  /**
   * A station; `query` by default — the plain scan journal. Receiving, dispatch and aggregation
   * stations apply the dock rules (a document first, known products), see test/helpers/dock.ts.
   */
  createStation(name: string, kind?: StationView['kind']): Promise<StationView>;
  /** Stops the server and removes its data directory. */
  stop(): Promise<void>;
}

export function tempDir(prefix = 'tracedock-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A real workstation: real SQLite file in a temp dir, real HTTP on a random loopback port. */
export async function startTestWorkstation(overrides: WorkstationOverrides & { dataDir?: string; env?: Record<string, string> } = {}): Promise<TestWorkstation> {
  const dataDir = overrides.dataDir ?? tempDir();
  const config = loadConfig({ TRACEDOCK_PORT: '0', TRACEDOCK_DATA_DIR: dataDir, TRACEDOCK_LOG_LEVEL: 'silent', TRACEDOCK_ADMIN_PASSWORD: DEV_ADMIN_INITIAL_PASSWORD, ...overrides.env });
  const ws = await startWorkstation(config, {
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    backoff: { initialMs: 50, maxMs: 200 },
    ...overrides,
  });
  const session = await establishAdminSession(ws.url);
  const api = (path: string, init: RequestInit = {}) =>
    fetch(ws.url + path, { ...init, headers: { 'content-type': 'application/json', cookie: session.cookie, ...(init.headers as Record<string, string> | undefined) } });
  const json = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const res = await api(url, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    const data = (await res.json()) as T;
    if (!res.ok) throw Object.assign(new Error(`${method} ${url} → ${res.status}`), { status: res.status, data });
    return data;
  };
  return {
    ...ws,
    dataDir,
    session,
    api,
    postScan: (stationId, raw) => json<ScanView>('POST', `/api/stations/${stationId}/scans`, { raw }),
    createStation: (name, kind = 'query') => json<StationView>('POST', '/api/stations', { name, kind }),
    async stop() {
      await ws.stop();
      if (!overrides.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
