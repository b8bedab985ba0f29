import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/lib/chromium.js';
import type { DashboardView } from '../../server/contract/dashboard.js';
import { dockStation, json, openDocument, seedCase, seedDock, type DockFixture } from '../helpers/dock.js';
import { byTestId, loggedInPage, screenshot, testIdText, waitForText } from '../helpers/dock-ui.js';
import { ensureUiBuilt } from '../helpers/ui-build.js';
import { startTestWorkstation, type TestWorkstation } from '../helpers/workstation.js';

/**
 * The supervisor's dashboard (issue 8 §5) in a real Chromium: a day made through the dock flows
 * (receipts with a duplicate, a reject and an over-delivery, a dispatch in progress, uploads held
 * back), shown as figures and SVG charts whose numbers must be the day's; then one more scan shows
 * up by itself within a refresh. `SCREENSHOTS=1` writes docs/screenshots/dashboard.png.
 */

const WAIT = { timeout: 15_000 };

let ws: TestWorkstation;
let browser: Browser;
let fx: DockFixture;

beforeAll(async () => {
  ensureUiBuilt();
  ws = await startTestWorkstation();
  fx = await seedDock(ws.db.knex, ws.session.unitId);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ws?.stop();
});

const attr = (page: Page, selector: string, name: string) => page.getAttribute(selector, name);

describe('dashboard in Chromium', () => {
  it('shows the day as figures and charts with the right numbers, links into documents and uploads, and follows new scans', async () => {
    // Completions queue platform records; the worker stays stopped so the backlog holds still.
    await ws.uploads.worker.stop();
    const rk = await dockStation(ws, '一号收货台', 'receiving');
    const fh = await dockStation(ws, '二号发货台', 'dispatch');
    const a = await seedCase(ws.db.knex);
    const b = await seedCase(ws.db.knex);
    const in1 = await openDocument(ws, { direction: 'in', number: 'RK-DASH-01', type: '102', counterpartyId: fx.supplierId, stationId: rk.id, expected: { codes: [a.case] } });
    expect(await ws.postScan(rk.id, a.case)).toMatchObject({ decision: 'accepted' });
    expect(await ws.postScan(rk.id, a.units[0]!)).toMatchObject({ decision: 'duplicate' });
    expect(await ws.postScan(rk.id, '12345')).toMatchObject({ decision: 'rejected' });
    await json(ws, 'POST', `/api/documents/${in1.id}/complete`, {});
    // Four ordered, a case of ten delivered: six over.
    const in2 = await openDocument(ws, { direction: 'in', number: 'RK-DASH-02', type: '102', counterpartyId: fx.supplierId, stationId: rk.id, expected: { lines: [{ productId: fx.productId, quantity: 4 }] } });
    expect(await ws.postScan(rk.id, b.case)).toMatchObject({ decision: 'accepted' });
    await json(ws, 'POST', `/api/documents/${in2.id}/complete`, {});
    await openDocument(ws, { direction: 'out', number: 'CK-DASH-01', type: '201', counterpartyId: fx.customerId, stationId: fh.id });
    for (const u of a.units.slice(0, 2)) expect(await ws.postScan(fh.id, u)).toMatchObject({ decision: 'accepted' });

    const api = await json<DashboardView>(ws, 'GET', '/api/dashboard');
    const page = await loggedInPage(browser, ws);
    await page.goto(`${ws.url}/#/`);
    await page.click(byTestId('nav-dashboard'));
    await page.waitForSelector(`${byTestId('dashboard-page')}[data-ready="true"]`, WAIT);
    expect(await attr(page, byTestId('dashboard-page'), 'data-date')).toBe(api.date);

    // The big numbers.
    expect(await testIdText(page, 'dash-receipts-completed')).toBe('2');
    expect(await testIdText(page, 'dash-receipts-scannedUnits')).toBe('20');
    expect(await testIdText(page, 'dash-receipts-completedUnits')).toBe('20');
    expect(await testIdText(page, 'dash-dispatches-completed')).toBe('0');
    expect(await testIdText(page, 'dash-dispatches-open')).toBe('1');
    expect(await testIdText(page, 'dash-dispatches-scannedUnits')).toBe('2');
    expect(await testIdText(page, 'dash-scans-total')).toBe('6');
    expect(await testIdText(page, 'dash-scans-duplicate')).toBe('1');
    expect(await testIdText(page, 'dash-scans-rejected')).toBe('1');
    expect(await testIdText(page, 'dash-exceptions-over')).toBe('1');
    expect(await testIdText(page, 'dash-exceptions-short')).toBe('0');

    // The hourly chart: every scan sits in the China hour the server put it in, split by station.
    const columns = page.locator(`${byTestId('hourly-chart')} ${byTestId('chart-column')}`);
    expect(await columns.count()).toBe(24);
    for (let h = 0; h < 24; h++) {
      const want = api.scans.stations.reduce((n, s) => n + s.hours[h]!.accepted + s.hours[h]!.duplicate + s.hours[h]!.rejected + s.hours[h]!.undone, 0);
      expect(await columns.nth(h).getAttribute('data-total'), `hour ${h}`).toBe(String(want));
    }
    const busy = api.scans.stations[0]!.hours.findIndex((x) => x.accepted > 0);
    const column = columns.nth(busy);
    expect(await column.getAttribute('data-total')).toBe('6');
    expect(await column.locator(`rect[data-segment="${rk.id}"]`).getAttribute('data-value')).toBe('4');
    expect(await column.locator(`rect[data-segment="${fh.id}"]`).getAttribute('data-value')).toBe('2');
    expect(await column.locator('title').textContent()).toContain('共 6 次');
    expect(await page.locator(byTestId('hourly-legend')).innerText()).toContain('一号收货台');

    // Per station, split by outcome.
    const station = page.locator(`${byTestId('station-row')}[data-key="${rk.id}"]`);
    expect(await station.getAttribute('data-total')).toBe('4');
    expect(await station.locator('rect[data-segment="accepted"]').getAttribute('data-value')).toBe('2');
    expect(await station.locator('rect[data-segment="rejected"]').getAttribute('data-value')).toBe('1');
    expect(await station.getAttribute('title')).toContain('重复 1');

    // Reasons in words, with the latest scan's message on hover.
    const withCase = page.locator(`${byTestId('reason-row')}[data-key="duplicate:received_with_case"]`);
    expect(await withCase.innerText()).toContain('已随箱收到');
    expect(await withCase.getAttribute('title')).toContain(a.units[0]!);
    expect(await page.locator(byTestId('reason-row')).count()).toBe(2);

    // The upload backlog: what the outbox holds, per platform.
    const pending = Number(((await ws.db.knex('upload_records').where({ unit_id: ws.session.unitId, platform: 'nhsa', state: 'pending' }).count({ n: '*' }).first()) as { n: number }).n);
    expect(pending).toBeGreaterThan(0);
    const nhsa = page.locator(`${byTestId('upload-platform')}[data-platform="nhsa"]`);
    expect(await nhsa.locator(byTestId('upload-waiting')).innerText()).toBe(String(pending));
    expect(await nhsa.locator(byTestId('upload-donut')).getAttribute('data-total')).toBe(String(pending));
    expect(await page.locator(`${byTestId('upload-platform')}[data-platform="gansu"] ${byTestId('upload-waiting')}`).innerText()).toBe('0');
    expect(await page.getAttribute(byTestId('dash-uploads-link'), 'href')).toBe('#/uploads');

    // The over-delivered document, and a link to its page.
    const issue = page.locator(`${byTestId('issue-row')}[data-number="RK-DASH-02"]`);
    expect(await issue.locator(byTestId('issue-over')).innerText()).toBe('6');
    expect(await page.locator(byTestId('issue-row')).count()).toBe(1);
    await screenshot(page, 'dashboard', true);

    // Live: one more box goes out; the page shows it without a reload (within one 15 s poll).
    await page.evaluate(() => Object.assign(window, { __sameDashboard: true }));
    expect(await ws.postScan(fh.id, a.units[2]!)).toMatchObject({ decision: 'accepted' });
    await waitForText(page, 'dash-dispatches-scannedUnits', '3', 25_000);
    expect(await testIdText(page, 'dash-scans-total')).toBe('7');
    expect(await page.evaluate(() => (window as unknown as { __sameDashboard?: boolean }).__sameDashboard)).toBe(true);

    await issue.locator(byTestId('issue-link')).click();
    await page.waitForSelector(`${byTestId('document-page')}`, WAIT);
    expect(page.url()).toContain(`#/documents/${in2.id}`);

    // Yesterday: nothing happened, and the page says so.
    await page.goBack();
    await page.waitForSelector(`${byTestId('dashboard-page')}[data-ready="true"]`, WAIT);
    await page.click(byTestId('dash-prev'));
    await page.waitForSelector(`${byTestId('dashboard-page')}:not([data-date="${api.date}"])`, WAIT);
    await page.waitForSelector(byTestId('dash-no-scans'), WAIT);
    expect(await testIdText(page, 'dash-receipts-completed')).toBe('0');
    expect(await page.isDisabled(byTestId('dash-today'))).toBe(false);
    await page.click(byTestId('dash-today'));
    await page.waitForSelector(`${byTestId('dashboard-page')}[data-date="${api.date}"]`, WAIT);
    await page.close();
  }, 90_000);
});
