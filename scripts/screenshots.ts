/**
 * Screenshots of every screen for the README, taken with the system Chromium against a running
 * workstation: `tsx scripts/screenshots.ts http://127.0.0.1:8720`. It creates demo stations when
 * missing and posts scans over HTTP to put the station screen into each state, so point it at a
 * demo or scratch workstation, not a production journal.
 *
 * Needs a CJK font for the zh-CN screens (Debian: fonts-noto-cjk or fonts-wqy-microhei).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from './lib/chromium.js';
import { establishAdminSession, type DevSession } from './lib/dev-session.js';
import type { ScannerStatusView, ScanView, StationView } from '../server/contract/views.js';

const OUT_DIR = path.resolve(import.meta.dirname, '../docs/screenshots');
const DEMO_STATIONS: Array<{ name: string; kind: StationView['kind'] }> = [
  { name: '收货一号', kind: 'receiving' },
  { name: '发货二号', kind: 'dispatch' },
  { name: '零售柜台', kind: 'retail' },
];

/** The admin session (see scripts/lib/dev-session.ts): start the demo workstation with TRACEDOCK_ADMIN_PASSWORD=Init#Dock2026. */
let session: DevSession;

async function http<T>(base: string, method: string, url: string, body?: unknown): Promise<{ status: number; data: T }> {
  const res = await fetch(base + url, {
    method,
    headers: { 'content-type': 'application/json', cookie: session.cookie },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, data: (await res.json()) as T };
}

async function ensureStations(base: string): Promise<StationView[]> {
  for (const s of DEMO_STATIONS) await http(base, 'POST', '/api/stations', s); // 409 when it exists: fine
  return (await http<StationView[]>(base, 'GET', '/api/stations')).data;
}

/** A virtual scanner (no script, so it never scans by itself) shows the scanner status bar. */
async function ensureScanner(base: string, stationId: number): Promise<void> {
  const { data } = await http<ScannerStatusView[]>(base, 'GET', '/api/scanners');
  if (data.some((s) => s.stationId === stationId)) return;
  await http(base, 'POST', '/api/scanners', { transport: 'virtual', stationId, label: '演示扫码枪' });
}

/** A fresh 20-digit trace code, so a re-run against the same journal is accepted, not duplicate. */
function freshTraceCode(): string {
  let s = '8';
  while (s.length < 20) s += Math.floor(Math.random() * 10);
  return s;
}

/** A GS1 element string as a pack's DataMatrix carries it: GTIN, expiry, batch, GS, serial. */
function freshGs1(): string {
  return `0106901234567892172712311024B0317\x1d21${freshTraceCode().slice(8)}`;
}

/** A few earlier scans, so the recent list and counters look like a dock at work. */
async function seedRecent(base: string, stationId: number): Promise<void> {
  const { data } = await http<ScanView[]>(base, 'GET', `/api/scans?stationId=${stationId}&limit=5`);
  if (data.length >= 5) return;
  for (const raw of [freshTraceCode(), freshGs1(), freshTraceCode(), '!!', freshTraceCode(), freshGs1()]) {
    await http(base, 'POST', `/api/stations/${stationId}/scans`, { raw });
  }
}

async function shoot(page: Page, name: string, fullPage = false): Promise<void> {
  // The state colour fades in over 150 ms and the last scan pops in over 350 ms.
  await page.waitForTimeout(500);
  const file = path.join(OUT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

async function scanAndShoot(page: Page, base: string, stationId: number, raw: string, state: string, name: string): Promise<void> {
  const { data } = await http<ScanView>(base, 'POST', `/api/stations/${stationId}/scans`, { raw });
  if (data.decision !== state) console.warn(`expected ${state}, workstation answered ${data.decision}`);
  await page.waitForSelector(`[data-testid="station-screen"][data-state="${data.decision}"]`, { timeout: 5000 });
  await shoot(page, name);
}

async function main(): Promise<void> {
  const base = (process.argv[2] ?? 'http://127.0.0.1:8720').replace(/\/$/, '');
  fs.mkdirSync(OUT_DIR, { recursive: true });
  session = await establishAdminSession(base);
  const stations = await ensureStations(base);
  const station = stations[0];
  if (!station) throw new Error('no station on the workstation');
  await ensureScanner(base, station.id);
  await seedRecent(base, station.id);

  const browser = await launchChromium();
  try {
    const login = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await login.goto(`${base}/#/login`);
    await login.waitForSelector('[data-testid="login-username"]');
    await shoot(login, 'login');
    await login.close();

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.context().addCookies([{ name: 'td_session', value: session.token, url: base }]);
    await page.goto(`${base}/#/`);
    await page.waitForSelector('[data-testid="station-item"]');
    await shoot(page, 'stations');

    await page.goto(`${base}/#/station/${station.id}`);
    await page.waitForSelector('[data-testid="connection-status"][data-state="connected"]');
    const code = freshTraceCode();
    await scanAndShoot(page, base, station.id, code, 'accepted', 'station-accepted');
    await scanAndShoot(page, base, station.id, code, 'duplicate', 'station-duplicate');
    await scanAndShoot(page, base, station.id, '§§ ¿¿¿ §§', 'rejected', 'station-rejected');

    await page.goto(`${base}/#/devices`);
    await page.waitForSelector('[data-testid="bind-form"]');
    await page.waitForLoadState('networkidle');
    await shoot(page, 'devices', true);

    await page.goto(`${base}/#/admin/grants`);
    await page.waitForSelector('[data-testid="grant-cell"]');
    await shoot(page, 'admin-grants');
    await page.goto(`${base}/#/admin/audit`);
    await page.waitForSelector('[data-testid="audit-verify"]');
    await page.click('[data-testid="audit-verify"]');
    await page.waitForSelector('[data-testid="audit-result"]');
    await shoot(page, 'admin-audit');

    // The upload monitor as the workstation's outbox stands (the README's copy comes from
    // test/e2e/uploads.test.ts, which drains a backlog with one refused record first).
    await page.goto(`${base}/#/uploads`);
    await page.waitForSelector('[data-testid="uploads-page"][data-ready="true"]');
    await shoot(page, 'uploads-monitor');
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
