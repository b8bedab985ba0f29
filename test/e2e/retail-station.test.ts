import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { SaleView } from '../../server/contract/retail.js';
import { createPtyPair, type PtyPair } from '../../drivers/virtual/pty-pair.js';
import { launchChromium } from '../../scripts/lib/chromium.js';
import { byTestId, loggedInPage, screenshot, testIdText } from '../helpers/dock-ui.js';
import { json } from '../helpers/dock.js';
import { waitFor } from '../helpers/socket.js';
import { ensureUiBuilt } from '../helpers/ui-build.js';
import { startTestWorkstation, tempDir, type TestWorkstation } from '../helpers/workstation.js';

/**
 * A retail counter that is a station, in a real Chromium: packs read by a serial scanner (a real
 * pseudo-terminal) appear on the counter's sale without anyone touching the keyboard, a refused
 * pack turns the screen red with the reason, a parked sale is resumed from the open-sales list;
 * then the upload monitor's Gansu section shows the sale reported to the built-in sandbox.
 * `SCREENSHOTS=1` writes docs/screenshots/retail-station.png and uploads-gansu.png.
 */

const WAIT = { timeout: 15_000 };
const VALID_ID = '11010519491231002X';
const PREFIX = { yc: '8700001', otc: '8700002' } as const;
let serial = 1;

let ws: TestWorkstation;
let browser: Browser;
let pty: PtyPair;
let station: number;
const scannerPath = path.join(tempDir('tracedock-retail-e2e-'), 'scanner0');

async function stock(prefix: string, n: number): Promise<string[]> {
  const codes = Array.from({ length: n }, () => prefix + String(serial++).padStart(13, '0'));
  await ws.db.knex('code_states').insert(codes.map((c) => ({ unit_id: ws.session.unitId, code: c, state: 'in_stock', level: 1, batch: 'ST2026', expiry: '2028-12-31', movement_id: 0, updated_at: Date.now() })));
  return codes;
}

const waitLines = (page: Page, n: number) => page.waitForFunction((want) => document.querySelectorAll('[data-testid="sale-line"]').length === want, n, WAIT);

beforeAll(async () => {
  ensureUiBuilt();
  ws = await startTestWorkstation();
  const at = Date.now();
  const product = async (code: string, name: string, flags: Record<string, boolean>, prefix: string) => {
    const [p] = (await ws.db.knex('products').insert({ code, name, generic_name: name, approval_no: '国药准字H20003456', manufacturer: '兰州示范制药', created_at: at, updated_at: at, ...flags }).returning('id')) as Array<{ id: number }>;
    await ws.db.knex('product_codes').insert({ product_id: Number(p!.id), level: 1, kind: 'prefix', value: prefix, status: 'active', proposed_at: at, decided_at: at });
  };
  await product('ST-YC', '复方盐酸伪麻黄碱缓释胶囊', { ephedrine: true }, PREFIX.yc);
  await product('ST-OTC', '维生素C片', {}, PREFIX.otc);
  station = (await json<{ id: number }>(ws, 'POST', '/api/stations', { name: '零售柜台一', kind: 'retail' })).id;
  pty = await createPtyPair(scannerPath);
  const res = await ws.api('/api/scanners', { method: 'POST', body: JSON.stringify({ transport: 'serial', path: scannerPath, stationId: station, label: 'counter-1', options: { suffix: 'CR' } }) });
  expect(res.status).toBe(201);
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await pty?.close();
  await ws?.stop();
});

describe('retail counter as a station, in Chromium', () => {
  it('follows the station scanner live, shows refusals, resumes a parked sale; the Gansu monitor shows the report', async () => {
    const [a, b] = await stock(PREFIX.yc, 2);
    const [parkedPack, later] = await stock(PREFIX.otc, 2);
    // A sale someone left open at another counter (no station).
    const parked = await json<SaleView>(ws, 'POST', '/api/retail/sales', {});
    await json(ws, 'POST', `/api/retail/sales/${parked.id}/codes`, { code: parkedPack });

    const page = await loggedInPage(browser, ws);
    await page.goto(`${ws.url}/#/retail`);
    await page.waitForSelector(`${byTestId('retail-page')}[data-ready="true"]`, WAIT);
    await page.selectOption(byTestId('counter-station-select'), String(station));
    await page.waitForSelector(`${byTestId('retail-page')}[data-station-id="${station}"]`, WAIT);
    expect(await testIdText(page, 'counter-station-live')).toContain('零售柜台一');
    // The screen signed in at the station: the scanner scans as its operator from now on.
    await waitFor(() => ws.presence.current(station) ?? undefined, 10_000);
    await page.waitForSelector(byTestId('retail-idle'), WAIT);

    // The scanner, not the keyboard: the first pack opens the station's sale on screen.
    await pty.write(`${a}\r`);
    await waitLines(page, 1);
    expect(await testIdText(page, 'scan-added')).toContain('复方盐酸伪麻黄碱缓释胶囊');
    await pty.write(`${b}\r`);
    await waitLines(page, 2);

    // The same pack again: red, with the reason, still two lines.
    await pty.write(`${a}\r`);
    await page.waitForSelector(byTestId('scan-refusal'), WAIT);
    expect(await testIdText(page, 'scan-refusal-reason')).toContain('已在本单中');
    expect(await page.getAttribute(byTestId('retail-page'), 'data-state')).toBe('refused');
    await screenshot(page, 'retail-station');

    // The parked sale is listed; the pharmacist finishes this one first.
    await page.waitForSelector(`${byTestId('open-sale')}[data-sale-id="${parked.id}"]`, WAIT);
    await page.fill(byTestId('buyer-name'), '赵六');
    await page.fill(byTestId('buyer-id'), VALID_ID);
    await page.click(byTestId('buyer-save'));
    await page.waitForSelector(`${byTestId('complete')}:not([disabled])`, WAIT);
    await page.click(byTestId('complete'));
    await page.waitForSelector(`${byTestId('sale-finished')}[data-kind="completed"]`, WAIT);

    // Resume the parked sale here: the station's scanner now feeds it.
    await page.click(`${byTestId('open-sale')}[data-sale-id="${parked.id}"] ${byTestId('open-sale-resume')}`);
    await page.waitForSelector(`${byTestId('retail-page')}[data-sale-id="${parked.id}"]`, WAIT);
    await waitLines(page, 1);
    await pty.write(`${later}\r`);
    await waitLines(page, 2);
    expect(((await json<SaleView>(ws, 'GET', `/api/retail/sales/${parked.id}`)).lines.map((l) => l.code))).toEqual([parkedPack, later]);

    // The completed ephedrine sale goes to the Gansu sandbox; the manager reads it on the monitor.
    await waitFor(async () => ((await ws.db.knex('upload_records').where({ platform: 'gansu', state: 'accepted' }).count({ n: '*' }).first()) as { n: number }).n > 0 || undefined, 15_000);
    await page.goto(`${ws.url}/#/uploads`);
    await page.waitForSelector(`${byTestId('gansu-monitor')}[data-ready="true"]`, WAIT);
    await page.waitForSelector(`${byTestId('gansu-accepted')}[data-n="1"]`, WAIT);
    expect(await page.getAttribute(byTestId('gansu-queued'), 'data-n')).toBe('1');
    expect(await testIdText(page, 'gansu-account')).toBe('91350100M000100Y43');
    expect(await page.isVisible(byTestId('gansu-sandbox'))).toBe(true);
    const call = page.locator(byTestId('gansu-call')).first();
    expect(await call.getAttribute('data-code')).toBe('200');
    expect(await call.getAttribute('data-outcome')).toBe('accepted');
    expect(await call.locator(byTestId('gansu-call-rows')).innerText()).toBe('1');
    expect(await call.locator(byTestId('gansu-call-msg')).innerText()).toBe('请求成功');
    expect(await call.locator(byTestId('gansu-call-ms')).innerText()).toMatch(/^\d+(\.\d)? m?s$/);
    expect(await page.locator(`${byTestId('gansu-token')}[data-outcome="accepted"]`).count()).toBeGreaterThan(0);
    expect(await testIdText(page, 'gansu-refused-count')).toBe('0');
    await screenshot(page, 'uploads-gansu', true);
  });
});
