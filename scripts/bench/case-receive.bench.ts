import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { io, type Socket } from 'socket.io-client';
import type { Knex } from 'knex';
import { loadConfig } from '../../server/config.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/contract/events.js';
import { startWorkstation } from '../../server/workstation.js';
import { DEV_ADMIN_INITIAL_PASSWORD, establishAdminSession } from '../lib/dev-session.js';
import { fmt, markdownTable, median } from './stats.js';

/**
 * Issue 5 figure: receiving a case whose hierarchy holds 10 000 unit codes — from the scan's HTTP
 * request to the station screen's socket receiving the reconciliation that counts all 10 000 —
 * next to the bare set-based write of the same rows measured in the same database (the limit).
 */
const MIDDLES = 100;
const PER_MIDDLE = 100;

async function seedCase(knex: Knex, run: number): Promise<string> {
  const caseCode = `8100003${String(run).padStart(13, '0')}`;
  // Middles and units generated inside SQLite: one statement each.
  await knex.raw(
    `INSERT INTO packs (code, level, product_id, parent_code, batch, expiry, source, updated_at)
     WITH RECURSIVE m(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM m WHERE i + 1 < ?)
     SELECT ?, 3, 1, NULL, 'B1', '2029-12-31', 'import', 0
     UNION ALL SELECT '8100002' || printf('%06d%07d', ?, i), 2, 1, ?, 'B1', '2029-12-31', 'import', 0 FROM m`,
    [MIDDLES, caseCode, run, caseCode],
  );
  await knex.raw(
    `INSERT INTO packs (code, level, product_id, parent_code, batch, expiry, source, updated_at)
     WITH RECURSIVE u(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM u WHERE i + 1 < ?)
     SELECT '8100001' || printf('%06d%07d', ?, i), 1, 1, '8100002' || printf('%06d%07d', ?, i / ?), 'B1', '2029-12-31', 'import', 0 FROM u`,
    [MIDDLES * PER_MIDDLE, run, run, PER_MIDDLE],
  );
  return caseCode;
}

/** The floor: the same journal and projection rows written set-based with no decision around them. */
async function bareWrite(knex: Knex, caseCode: string, unitId: number): Promise<number> {
  const t0 = performance.now();
  await knex.transaction(async (trx) => {
    await trx.raw(`CREATE TEMP TABLE IF NOT EXISTS bench_mc AS SELECT * FROM movement_codes WHERE 0`);
    await trx.raw(`CREATE TEMP TABLE IF NOT EXISTS bench_cs AS SELECT * FROM code_states WHERE 0`);
    await trx.raw(
      `INSERT INTO bench_mc (movement_id, code, level, from_state, to_state, from_document_id, to_document_id)
       WITH RECURSIVE sub(code, level) AS (SELECT code, level FROM packs WHERE code = ? UNION ALL SELECT p.code, p.level FROM packs p JOIN sub ON p.parent_code = sub.code)
       SELECT 0, code, level, 'not_seen', 'receiving', NULL, 0 FROM sub`,
      [caseCode],
    );
    await trx.raw(
      `INSERT INTO bench_cs (unit_id, code, state, level, product_id, batch, expiry, document_id, movement_id, updated_at)
       SELECT ?, mc.code, 'receiving', mc.level, p.product_id, p.batch, p.expiry, 0, 0, 0 FROM bench_mc mc JOIN packs p ON p.code = mc.code`,
      [unitId],
    );
    await trx.raw('DELETE FROM bench_mc');
    await trx.raw('DELETE FROM bench_cs');
  });
  return performance.now() - t0;
}

export async function runCaseReceiveBench(o: { quick?: boolean } = {}): Promise<{ markdown: string; medianMs: number }> {
  const runs = o.quick ? 3 : 7;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracedock-case-bench-'));
  const config = loadConfig({ TRACEDOCK_PORT: '0', TRACEDOCK_DATA_DIR: dataDir, TRACEDOCK_LOG_LEVEL: 'silent', TRACEDOCK_ADMIN_PASSWORD: DEV_ADMIN_INITIAL_PASSWORD });
  const ws = await startWorkstation(config, { logger: pino({ level: 'silent' }) });
  try {
    const session = await establishAdminSession(ws.url);
    const knex = ws.db.knex;
    const at = Date.now();
    await knex('products').insert({ id: 1, code: 'BENCH', name: '基准药品', ratio: `1:${MIDDLES}:${MIDDLES * PER_MIDDLE}`, created_at: at, updated_at: at });
    const [cp] = (await knex('counterparties').insert({ unit_id: session.unitId, name: '上游药企', uscc: '91110000600037341L', type: 'manufacturer', created_at: at, updated_at: at }).returning('id')) as Array<{ id: number }>;
    const api = (p: string, body: unknown) => fetch(ws.url + p, { method: 'POST', headers: { 'content-type': 'application/json', cookie: session.cookie }, body: JSON.stringify(body) }).then(async (r) => (await r.json()) as { id: number });
    const station = await api('/api/stations', { name: '基准收货', kind: 'receiving' });
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(ws.url, { transports: ['websocket'], forceNew: true, extraHeaders: { cookie: session.cookie } });
    await new Promise((resolve) => socket.emit('station.join', { stationId: station.id }, resolve));

    const totals: number[] = [];
    const floors: number[] = [];
    for (let run = 1; run <= runs; run++) {
      const caseCode = await seedCase(knex, run);
      floors.push(await bareWrite(knex, caseCode, session.unitId));
      await api('/api/documents', { direction: 'in', number: `BENCH-${run}`, type: '102', counterpartyId: Number(cp!.id), stationId: station.id });
      const screen = new Promise<void>((resolve) => {
        const on = (p: { received: number }) => {
          if (p.received !== MIDDLES * PER_MIDDLE) return;
          socket.off('document.progress', on);
          resolve();
        };
        socket.on('document.progress', on);
      });
      const t0 = performance.now();
      const scan = (await api(`/api/stations/${station.id}/scans`, { raw: caseCode })) as unknown as { decision: string; effect?: { units: number } };
      await screen;
      totals.push(performance.now() - t0);
      if (scan.decision !== 'accepted' || scan.effect?.units !== MIDDLES * PER_MIDDLE) throw new Error(`bench scan not accepted: ${JSON.stringify(scan)}`);
    }
    socket.close();
    const m = median(totals);
    const f = median(floors);
    const markdown =
      `Case of ${(MIDDLES * PER_MIDDLE).toLocaleString()} units (1:${MIDDLES}:${MIDDLES * PER_MIDDLE}, ${MIDDLES + MIDDLES * PER_MIDDLE + 1} codes), ${runs} runs, each a fresh case on a fresh document. ` +
      `"Scan → screen" is the HTTP scan request until the station's socket gets the reconciliation counting every unit; "floor" writes the same journal and projection rows set-based with no decision.\n\n` +
      markdownTable(
        ['measure', 'median', 'min', 'max', 'target'],
        [
          ['scan → rows written → screen updated', `${fmt(m, 1)} ms`, `${fmt(Math.min(...totals), 1)} ms`, `${fmt(Math.max(...totals), 1)} ms`, '≤ 250 ms'],
          ['floor: bare set-based write of the same rows', `${fmt(f, 1)} ms`, `${fmt(Math.min(...floors), 1)} ms`, `${fmt(Math.max(...floors), 1)} ms`, '—'],
          ['ratio scan / floor', `${fmt(m / f, 2)}×`, '', '', ''],
        ],
      );
    return { markdown, medianMs: m };
  } finally {
    await ws.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
