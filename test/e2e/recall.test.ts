import fs from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../scripts/lib/chromium.js';
import { dockStation, json, openDocument, seedCase, seedDock, type CaseTree, type DockFixture } from '../helpers/dock.js';
import { byTestId, loggedInPage, screenshot, testIdText } from '../helpers/dock-ui.js';
import { ensureUiBuilt } from '../helpers/ui-build.js';
import { startTestWorkstation, type TestWorkstation } from '../helpers/workstation.js';

/**
 * 召回报告 in a real Chromium: a batch received from a supplier, partly shipped to a customer and
 * partly locked; the supervisor finds the product, runs the recall, reads the cards and the call
 * list, sorts the rows, and downloads the XLSX — then does the same for a pasted list of codes.
 */
const WAIT = { timeout: 20_000 };

let ws: TestWorkstation;
let browser: Browser;
let fx: DockFixture;
let caseA: CaseTree;
let caseB: CaseTree;

async function unitsInFile(file: string): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const codes: string[] = [];
  wb.getWorksheet('明细 Units')!.eachRow((row, n) => n > 1 && codes.push(String(row.getCell(1).value)));
  return codes;
}

const ready = (page: Page) => page.waitForSelector(`${byTestId('recall-page')}[data-ready="true"]`, WAIT);

beforeAll(async () => {
  ensureUiBuilt();
  ws = await startTestWorkstation();
  fx = await seedDock(ws.db.knex, ws.session.unitId);
  caseA = await seedCase(ws.db.knex);
  caseB = await seedCase(ws.db.knex);
  const receiving = (await dockStation(ws, '收货', 'receiving')).id;
  const dispatch = (await dockStation(ws, '发货', 'dispatch')).id;
  const inbound = await openDocument(ws, { direction: 'in', number: 'RK-E2E', type: '102', counterpartyId: fx.supplierId, stationId: receiving });
  for (const c of [caseA.case, caseB.case]) expect(await ws.postScan(receiving, c)).toMatchObject({ decision: 'accepted' });
  await json(ws, 'POST', `/api/documents/${inbound.id}/complete`, {});
  const outbound = await openDocument(ws, { direction: 'out', number: 'CK-E2E', type: '201', counterpartyId: fx.customerId, stationId: dispatch });
  expect(await ws.postScan(dispatch, caseA.case)).toMatchObject({ decision: 'accepted' });
  await json(ws, 'POST', `/api/documents/${outbound.id}/complete`, {});
  await json(ws, 'POST', `/api/codes/${caseB.units[0]}/lock`, { reason: '召回批次 B2026' });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await ws?.stop();
});

describe('recall report in Chromium', () => {
  it('runs a batch recall from the product search, sorts the rows and downloads the XLSX', async () => {
    const page = await loggedInPage(browser, ws);
    await page.goto(`${ws.url}/#/`);
    await page.click(byTestId('nav-recall'));
    await page.waitForSelector(byTestId('recall-form'), WAIT);

    await page.fill(byTestId('recall-product-search'), '阿莫西林');
    await page.click(`${byTestId('recall-product-option')}[data-product-id="${fx.productId}"]`, WAIT);
    await page.waitForSelector(byTestId('recall-product'), WAIT);
    // The product's only batch on hand is filled in.
    await page.waitForFunction((sel) => (document.querySelector(sel) as HTMLInputElement | null)?.value === 'B2026', byTestId('recall-batch'), WAIT);
    await page.click(byTestId('recall-run'));
    await ready(page);

    expect(await testIdText(page, 'recall-scope')).toContain('阿莫西林胶囊');
    expect(await page.getAttribute(byTestId('recall-summary'), 'data-units')).toBe('20');
    const cards = Object.fromEntries(await page.$$eval(byTestId('recall-card'), (els) => els.map((e) => [e.getAttribute('data-status'), Number(e.getAttribute('data-count'))])));
    expect(cards).toEqual({ in_stock: 9, locked: 1, shipped: 10 });
    // The call list names the customer, its document and the boxes it got.
    const out = page.locator(`${byTestId('recall-cp-row')}[data-direction="out"]`);
    expect(await out.count()).toBe(1);
    expect(await out.innerText()).toContain('兰州市第一人民医院');
    expect(await out.getAttribute('data-document')).toBe('CK-E2E');
    expect(await out.getAttribute('data-units')).toBe('10');
    expect(await page.locator(byTestId('recall-row')).count()).toBe(20);
    expect(await page.getAttribute(`${byTestId('recall-row')}[data-code="${caseB.units[0]}"]`, 'data-status')).toBe('locked');
    await screenshot(page, 'recall', true);

    // Sorted by state: in stock first, shipped last; again: the other way round.
    await page.click(byTestId('recall-sort-status'));
    await page.waitForSelector(`${byTestId('recall-rows')}[data-sort="status"][data-dir="asc"]`, WAIT);
    await ready(page);
    expect(await page.getAttribute(`${byTestId('recall-row')} >> nth=0`, 'data-status')).toBe('in_stock');
    await page.click(byTestId('recall-sort-status'));
    await page.waitForSelector(`${byTestId('recall-rows')}[data-dir="desc"]`, WAIT);
    await ready(page);
    expect(await page.getAttribute(`${byTestId('recall-row')} >> nth=0`, 'data-status')).toBe('shipped');

    const [download] = await Promise.all([page.waitForEvent('download', WAIT), page.click(byTestId('recall-download'))]);
    expect(download.suggestedFilename()).toMatch(/^recall-P-AMOX-B2026-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const codes = await unitsInFile((await download.path())!);
    expect(codes).toHaveLength(20);
    expect(new Set(codes)).toEqual(new Set([...caseA.units, ...caseB.units]));
    await page.close();
  }, 90_000);

  it('runs a pasted list: a case stands for its boxes, an unreadable line is named, the file follows', async () => {
    const page = await loggedInPage(browser, ws);
    await page.goto(`${ws.url}/#/recall`);
    await page.click(byTestId('recall-tab-codes'));
    await page.fill(byTestId('recall-codes'), [caseA.case, caseB.units[0]!, 'not a code'].join('\n'));
    await page.click(byTestId('recall-run'));
    await ready(page);
    expect(await page.getAttribute(byTestId('recall-summary'), 'data-units')).toBe('11');
    expect(await page.getAttribute(byTestId('recall-unreadable'), 'data-count')).toBe('1');
    expect(await page.locator(`${byTestId('recall-row')}[data-status="shipped"]`).count()).toBe(10);

    const [download] = await Promise.all([page.waitForEvent('download', WAIT), page.click(byTestId('recall-download'))]);
    expect(download.suggestedFilename()).toMatch(/^recall-codes-.*\.xlsx$/);
    const codes = await unitsInFile((await download.path())!);
    expect(new Set(codes)).toEqual(new Set([...caseA.units, caseB.units[0]!]));
    expect(fs.existsSync((await download.path())!)).toBe(true);
    await page.close();
  }, 90_000);
});
