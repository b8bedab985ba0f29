import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../scripts/lib/chromium.js';
import { seedBigCase } from '../helpers/bulk-codes.js';
import { dockStation, json, openDocument, seedCase, seedDock, type CaseTree, type DockFixture } from '../helpers/dock.js';
import { byTestId, loggedInPage, screenshot, VIEWPORT } from '../helpers/dock-ui.js';
import { ensureUiBuilt } from '../helpers/ui-build.js';
import { typeTimed } from './keys.js';
import { startTestWorkstation, type TestWorkstation } from '../helpers/workstation.js';

/**
 * Supervisor screens in a real Chromium (issue 8): a scan at a query station opens the code's
 * timeline; a query is exported in the background with live progress, the browser is closed and a
 * new one finds the job and downloads its file. `SCREENSHOTS=1` writes docs/screenshots/timeline.png
 * and query-export.png.
 */
const WAIT = { timeout: 20_000 };

let ws: TestWorkstation;
let browser: Browser;
let fx: DockFixture;
let box: CaseTree;

beforeAll(async () => {
  ensureUiBuilt();
  ws = await startTestWorkstation({ exports: { progressEveryMs: 20, pageSize: 500 } });
  fx = await seedDock(ws.db.knex, ws.session.unitId);
  box = await seedCase(ws.db.knex, { batch: 'E2E-1' });
  const receiving = (await dockStation(ws, '收货一号', 'receiving')).id;
  const doc = await openDocument(ws, { direction: 'in', number: 'RK-E2E-1', type: '102', counterpartyId: fx.supplierId, stationId: receiving });
  expect(await ws.postScan(receiving, box.case)).toMatchObject({ decision: 'accepted' });
  await json(ws, 'POST', `/api/documents/${doc.id}/complete`, {});
  // Enough codes that the export is still running when the page first looks at it.
  const big = await seedBigCase(ws.db.knex, { middles: 20, perMiddle: 1000, start: 7_000_000, batch: 'E2E-BIG' });
  await openDocument(ws, { direction: 'in', number: 'RK-E2E-2', type: '102', counterpartyId: fx.supplierId, stationId: receiving });
  expect(await ws.postScan(receiving, big.case)).toMatchObject({ decision: 'accepted' });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await ws?.stop();
});

describe('supervisor screens in Chromium', () => {
  it('a scan at a query station opens the code timeline', async () => {
    const station = await ws.createStation('查询台', 'query');
    const page = await loggedInPage(browser, ws);
    await page.goto(`${ws.url}/#/station/${station.id}`);
    await page.waitForSelector('[data-testid="station-screen"][data-ready="true"]', WAIT);
    await page.waitForSelector(byTestId('station-timeline'), WAIT);
    // The scanner is a keyboard wedge here: a burst of keys ending in Enter.
    await typeTimed(page, box.units[3]!, 5, 'Enter');
    await page.waitForFunction((code) => document.querySelector('[data-testid="station-timeline-code"]')?.textContent === code, box.units[3], WAIT);
    const kinds = await page.locator(`${byTestId('station-timeline')} ${byTestId('timeline-event')}`).evaluateAll((els) => els.map((e) => `${e.getAttribute('data-source')}:${e.getAttribute('data-kind')}`));
    expect(kinds.slice(0, 2)).toEqual(['movement:receive', 'movement:complete']);
    expect(await page.locator(`${byTestId('station-timeline')} ${byTestId('tree-ancestor')}`).count()).toBe(2);
    expect(await page.locator(byTestId('station-timeline')).innerText()).toContain('RK-E2E-1');
    await screenshot(page, 'timeline');
    await page.close();
  });

  it('starts an export, shows its progress, and a new browser finds the job and downloads the file', async () => {
    const context = await browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
    await context.addCookies([{ name: 'td_session', value: ws.session.token, url: ws.url }]);
    const page = await context.newPage();
    await page.goto(`${ws.url}/#/query`);
    await page.fill(byTestId('query-batch'), 'E2E-BIG');
    await page.click(byTestId('query-search'));
    await page.waitForFunction(() => document.querySelector('[data-testid="query-total"]')?.textContent?.includes('20021'), undefined, WAIT);
    expect(await page.locator(byTestId('query-row')).count()).toBe(50);
    await page.click(byTestId('export-xlsx'));
    await page.waitForSelector(byTestId('query-notice'), WAIT);
    // Progress first (the bar moves), then done.
    await page.waitForSelector(`${byTestId('export-job')}[data-status="running"] ${byTestId('export-progress')}`, WAIT);
    await screenshot(page, 'query-export');
    const id = Number(await page.locator(byTestId('export-job')).first().getAttribute('data-id'));
    // The browser goes away mid-export; the job does not.
    await context.close();

    const again = await browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
    await again.addCookies([{ name: 'td_session', value: ws.session.token, url: ws.url }]);
    const page2 = await again.newPage();
    await page2.goto(`${ws.url}/#/query`);
    const job = page2.locator(`${byTestId('export-job')}[data-id="${id}"]`);
    await job.waitFor(WAIT);
    await page2.waitForSelector(`${byTestId('export-job')}[data-id="${id}"][data-status="done"]`, { timeout: 60_000 });
    const [download] = await Promise.all([page2.waitForEvent('download'), job.locator(byTestId('export-download')).click()]);
    const file = path.join(ws.dataDir, 'e2e-download.xlsx');
    await download.saveAs(file);
    expect(download.suggestedFilename()).toMatch(/^追溯码导出_\d{4}-\d{2}-\d{2}_\d+\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const sheet = wb.worksheets[0]!;
    const codes = new Set<string>();
    sheet.eachRow((row, n) => void (n > 1 && codes.add(String(row.getCell(2).value))));
    expect(codes.size).toBe(20_021);
    expect(fs.statSync(file).size).toBeGreaterThan(0);
    await again.close();
  });
});
