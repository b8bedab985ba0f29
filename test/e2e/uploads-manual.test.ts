import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/lib/chromium.js';
import { dockStation, json, openDocument, seedCase, seedDock, type DockFixture } from '../helpers/dock.js';
import { byTestId, loggedInPage, screenshot, testIdText, waitForText } from '../helpers/dock-ui.js';
import { ensureUiBuilt } from '../helpers/ui-build.js';
import { startTestWorkstation, type TestWorkstation } from '../helpers/workstation.js';

/**
 * The manual-upload fallback (网页上传) on the upload monitor, in a real Chromium: pending
 * circulation records exported as the portal's import file, then the portal's error report brought
 * back through the file input — the records it lists rejected with its reasons, the rest accepted,
 * the monitor's totals following. `SCREENSHOTS=1` writes docs/screenshots/uploads-manual.png.
 */

const WAIT = { timeout: 15_000 };
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let ws: TestWorkstation;
let browser: Browser;
let fx: DockFixture;

beforeAll(async () => {
  ensureUiBuilt();
  // No NHSA URL: the embedded sandbox. The worker is stopped before any record exists.
  ws = await startTestWorkstation();
  await ws.uploads.worker.stop();
  fx = await seedDock(ws.db.knex, ws.session.unitId);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ws?.stop();
});

/** A receiving document holding one case, scanned and completed: 16 circulation records. */
async function receive(stationId: number, number: string, code: string): Promise<void> {
  const doc = await openDocument(ws, { direction: 'in', number, type: '102', counterpartyId: fx.supplierId, stationId });
  expect(await ws.postScan(stationId, code)).toMatchObject({ decision: 'accepted' });
  await json(ws, 'POST', `/api/documents/${doc.id}/complete`, {});
}

/** A portal error report: the trace code column as the export names it, and the reason. */
async function errorReport(rows: Array<[code: string, reason: string]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('错误报告');
  sheet.addRow(['追溯码 drug_trac_codg', '错误原因']);
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const report = (page: Page, name: string, buffer: Buffer) =>
  page.locator(`${byTestId('manual-item')}[data-outcome="exported"] ${byTestId('manual-report-file')}`).setInputFiles({ name, mimeType: XLSX, buffer });

describe('manual upload (网页上传) in Chromium', () => {
  it('exports the pending records as XLSX, imports the portal error report (14 accepted, 2 rejected with their reasons), cancels a second export', async () => {
    const station = await dockStation(ws, 'E2E 手工上传收货', 'receiving');
    const tree = await seedCase(ws.db.knex);
    await receive(station.id, 'RK-MANUAL-E2E-1', tree.case);

    const page = await loggedInPage(browser, ws);
    await page.goto(`${ws.url}/#/uploads`);
    await page.waitForSelector(`${byTestId('uploads-page')}[data-ready="true"]`, WAIT);
    await page.waitForSelector(`${byTestId('manual-uploads')}[data-loaded="true"]`, WAIT);
    expect(await testIdText(page, 'total-pending')).toBe('16');
    expect(await testIdText(page, 'manual-empty')).toBe('还没有导出过');
    const panel = await testIdText(page, 'manual-uploads');
    expect(panel).toContain('手工上传（网页上传）');
    expect(panel).toContain('导入错误报告');

    // 1. Export: the operation's pending records become one export and its XLSX.
    const exportable = page.locator(`${byTestId('manual-exportable')}[data-operation="circulation"]`);
    expect(await exportable.innerText()).toContain('流通信息上传');
    expect(await exportable.locator(byTestId('manual-pending')).innerText()).toBe('16 条待上传');
    await exportable.locator(byTestId('manual-export')).click();
    const created = page.locator(byTestId('manual-created'));
    await created.waitFor(WAIT);
    expect(await created.innerText()).toContain('已导出 16 条');
    await waitForText(page, 'total-manual', '16');
    await waitForText(page, 'total-pending', '0');
    // Nothing pending is left to export.
    await page.waitForSelector(byTestId('manual-nothing'), WAIT);

    const href = await created.locator(byTestId('manual-created-file')).getAttribute('href');
    expect(href).toMatch(/^\/api\/uploads\/manual-exports\/\d+\/file$/);
    const file = await ws.api(href!);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toContain('spreadsheetml');
    const bytes = Buffer.from(await file.arrayBuffer());
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');

    const item = page.locator(`${byTestId('manual-item')}[data-outcome="exported"]`);
    await item.waitFor(WAIT);
    expect(await item.locator(byTestId('manual-item-file')).getAttribute('href')).toBe(href);
    expect(await item.locator(byTestId('manual-count-manual')).innerText()).toBe('16');
    expect(await item.locator(byTestId('manual-item-outcome')).innerText()).toBe('已导出，等待平台结果');

    // 3. A report about some other file is refused in words, and nothing changes.
    const stranger = '81000019999999999999';
    await report(page, '别的错误报告.xlsx', await errorReport([[stranger, '药品追溯码不存在']]));
    const refusal = item.locator(byTestId('manual-error'));
    await refusal.waitFor(WAIT);
    expect(await refusal.innerText()).toContain(`追溯码 ${stranger} 不在本次导出中`);
    expect(await testIdText(page, 'total-manual')).toBe('16');

    // 3. The portal's real error report: two units refused, every other record accepted.
    const [bad1, bad2] = [tree.units[3]!, tree.units[7]!];
    const reasons = { [bad1]: '追溯码状态异常，请核实', [bad2]: '收货企业与发货单不一致' };
    await report(page, '错误报告.xlsx', await errorReport(Object.entries(reasons)));
    const result = page.locator(byTestId('manual-result'));
    await result.waitFor(WAIT);
    expect(await result.locator(byTestId('manual-result-accepted')).innerText()).toBe('14');
    expect(await result.locator(byTestId('manual-result-rejected')).innerText()).toBe('2');
    const rejected = await result.locator(byTestId('manual-rejected-row')).evaluateAll((rows) =>
      rows.map((r) => [r.getAttribute('data-code'), r.querySelector('[data-testid="manual-rejected-reason"]')?.textContent?.trim()]),
    );
    expect(Object.fromEntries(rejected)).toEqual(reasons);
    expect(await page.locator(byTestId('manual-error')).count()).toBe(0);

    // The monitor follows: totals, the export's state and counts, the failures list.
    await waitForText(page, 'total-accepted', '14');
    await waitForText(page, 'total-rejected', '2');
    await waitForText(page, 'total-manual', '0');
    const settled = page.locator(`${byTestId('manual-item')}[data-outcome="partial"]`);
    await settled.waitFor(WAIT);
    expect(await settled.locator(byTestId('manual-count-accepted')).innerText()).toBe('14');
    expect(await settled.locator(byTestId('manual-count-rejected')).innerText()).toBe('2');
    expect(await settled.locator(byTestId('manual-report-file')).count()).toBe(0);
    expect(await page.locator(`${byTestId('failure')}[data-code="${bad1}"] ${byTestId('failure-message')}`).innerText()).toBe(reasons[bad1]);

    // More records arrive while the page is open: the panel offers them live; a second export,
    // shown above the settled one with the three ways back, then cancelled with its reason inline.
    await receive(station.id, 'RK-MANUAL-E2E-2', (await seedCase(ws.db.knex)).case);
    const again = page.locator(`${byTestId('manual-exportable')}[data-operation="circulation"]`);
    await again.waitFor(WAIT);
    expect(await again.locator(byTestId('manual-pending')).innerText()).toBe('16 条待上传');
    await again.locator(byTestId('manual-export')).click();
    const second = page.locator(`${byTestId('manual-item')}[data-outcome="exported"]`);
    await second.waitFor(WAIT);
    await waitForText(page, 'total-manual', '16');
    expect(await page.locator(byTestId('manual-item')).evaluateAll((items) => items.map((i) => i.getAttribute('data-outcome')))).toEqual(['exported', 'partial']);
    expect(await second.locator(byTestId('manual-confirm')).innerText()).toContain('平台无错误，全部确认');

    await page.setViewportSize({ width: 1280, height: 980 });
    await page.evaluate(() => document.querySelector('[data-testid="manual-uploads"]')?.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'uploads-manual');

    await second.locator(byTestId('manual-cancel')).click();
    await second.locator(byTestId('manual-cancel-reason')).fill('平台网页维护，改用接口上传');
    await second.locator(byTestId('manual-cancel-confirm')).click();
    await page.waitForSelector(byTestId('manual-result-cancelled'), WAIT);
    expect(await testIdText(page, 'manual-result-cancelled')).toBe('已取消：16 条记录回到待上传');
    await waitForText(page, 'total-pending', '16');
    await waitForText(page, 'total-manual', '0');
    const cancelled = page.locator(`${byTestId('manual-item')}[data-outcome="cancelled"]`);
    await cancelled.waitFor(WAIT);
    expect(await cancelled.innerText()).toContain('取消原因：平台网页维护，改用接口上传');
    expect(await cancelled.locator(byTestId('manual-count-cancelled')).innerText()).toBe('16');
    await page.close();
  }, 40_000);
});
