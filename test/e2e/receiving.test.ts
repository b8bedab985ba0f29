import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../scripts/lib/chromium.js';
import type { CodeView, MappingView } from '../../server/contract/dock.js';
import { dockStation, documentDetail, GTIN_UNIT, json, openDocument, PREFIX, seedCase, seedDock, seedLooseUnit, traceCode, type DockFixture } from '../helpers/dock.js';
import { byTestId, loggedInPage, openDockScreen, screenshot, testIdText, waitForText } from '../helpers/dock-ui.js';
import { ensureUiBuilt } from '../helpers/ui-build.js';
import { startTestWorkstation, type TestWorkstation } from '../helpers/workstation.js';
import { typeTimed } from './keys.js';

/**
 * The dock screens in a real Chromium against a real workstation (issue 5): a receiving station
 * choosing its document, scans driving the live reconciliation board to "complete", a wrong scan's
 * reason on screen, completion from the button; documents page, code lookup, learn flow.
 * `SCREENSHOTS=1` also writes the README screenshots into docs/screenshots/.
 */

const screen = byTestId('station-screen');
const WAIT = { timeout: 15_000 };

let ws: TestWorkstation;
let browser: Browser;
let fx: DockFixture;
/** A unit received and completed by the first test, looked up by a later one. */
let receivedUnit: string;
let receivedCase: string;

beforeAll(async () => {
  ensureUiBuilt();
  ws = await startTestWorkstation();
  fx = await seedDock(ws.db.knex, ws.session.unitId);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await ws?.stop();
});

describe('receiving screen in Chromium', () => {
  it('chooses the document on screen, receives one 1:5:10 case and two loose units to 12/0 and complete, shows a wrong scan in words, completes from the button', async () => {
    const tree = await seedCase(ws.db.knex);
    const loose = [await seedLooseUnit(ws.db.knex), await seedLooseUnit(ws.db.knex)];
    receivedUnit = tree.units[0]!;
    receivedCase = tree.case;
    const station = await dockStation(ws, 'E2E 收货一号', 'receiving');
    const doc = await openDocument(ws, { direction: 'in', number: 'RK-E2E-0001', type: '102', counterpartyId: fx.supplierId, expected: { codes: [tree.case, ...loose] } });

    const page = await loggedInPage(browser, ws);
    await openDockScreen(page, ws, station.id);
    expect(await page.getAttribute(screen, 'data-state')).toBe('idle');

    // No document yet: the open inbound documents are offered as buttons.
    await page.click(`${byTestId('pick-document')}[data-document-id="${doc.id}"]`, WAIT);
    await page.waitForSelector(`${byTestId('document-summary')}[data-document-id="${doc.id}"]`, WAIT);
    expect(await testIdText(page, 'document-number')).toBe('RK-E2E-0001');
    expect(await testIdText(page, 'current-document')).toContain('华北制药股份有限公司');
    await waitForText(page, 'recon-expected', '12');
    expect(await testIdText(page, 'recon-received')).toBe('0');
    expect(await testIdText(page, 'recon-missing')).toBe('12');
    expect(await page.getAttribute(byTestId('reconciliation'), 'data-complete')).toBe('false');

    // The case: ten units at once, said in words next to the big verdict.
    const caseScan = await ws.postScan(station.id, tree.case);
    expect(caseScan.decision).toBe('accepted');
    await page.waitForSelector(`${screen}[data-state="accepted"]`, WAIT);
    await waitForText(page, 'recon-received', '10');
    await waitForText(page, 'recon-missing', '2');
    expect(await testIdText(page, 'scan-effect')).toContain('整箱 10 盒已收货');
    expect(await page.locator(byTestId('recon-missing-codes')).innerText()).toContain('(2)');
    await screenshot(page, 'dock-receiving-progress');

    // A product that is not on the document: red, with the reason naming it.
    const wrong = await ws.postScan(station.id, traceCode(PREFIX.otherUnit));
    expect(wrong).toMatchObject({ decision: 'rejected', reasonCode: 'not_on_document' });
    await page.waitForSelector(`${screen}[data-state="rejected"]`, WAIT);
    expect(await testIdText(page, 'last-scan-reason')).toBe(wrong.reason!['zh-CN']);
    expect(await testIdText(page, 'last-scan-reason')).toContain('布洛芬缓释胶囊');
    expect(await testIdText(page, 'recon-received')).toBe('10');

    // One loose unit typed by a keyboard-wedge scanner, the other posted by a hardware scanner.
    await typeTimed(page, loose[0]!, 5, 'Enter');
    await waitForText(page, 'recon-received', '11');
    expect(await page.getAttribute(screen, 'data-state')).toBe('accepted');
    expect(await testIdText(page, 'scan-effect')).toContain('1 盒已收货');
    await ws.postScan(station.id, loose[1]!);
    await waitForText(page, 'recon-received', '12');
    await waitForText(page, 'recon-missing', '0');
    await page.waitForSelector(`${byTestId('reconciliation')}[data-complete="true"]`, WAIT);
    expect(await testIdText(page, 'recon-complete')).toContain('完成');
    expect(await testIdText(page, 'recon-unexpected')).toBe('0');
    await screenshot(page, 'dock-receiving-complete');

    await page.click(byTestId('complete-document'));
    await page.waitForSelector(`${byTestId('document-summary')}[data-status="completed"]`, WAIT);
    expect(await testIdText(page, 'document-status')).toBe('已完成');
    await page.waitForSelector(byTestId('document-closed'), WAIT);
    const detail = await documentDetail(ws, doc.id);
    expect(detail.document.status).toBe('completed');
    expect(detail.circulation).toMatchObject({ shipperName: '华北制药股份有限公司', receiveStatus: 'received' });
    await page.close();
  }, 120_000);

  it('completing with items missing asks to confirm the shortage inline, then completes short', async () => {
    const tree = await seedCase(ws.db.knex);
    const station = await dockStation(ws, 'E2E 收货短缺', 'receiving');
    const doc = await openDocument(ws, { direction: 'in', number: 'RK-E2E-0002', type: '102', counterpartyId: fx.supplierId, stationId: station.id, expected: { codes: [tree.case] } });
    const page = await loggedInPage(browser, ws);
    await openDockScreen(page, ws, station.id);
    await page.waitForSelector(`${byTestId('document-summary')}[data-document-id="${doc.id}"]`, WAIT);

    // Scanning the document's number at the dock selects it again (no keyboard needed).
    const select = await ws.postScan(station.id, 'RK-E2E-0002');
    expect(select.effect?.action).toBe('select_document');
    await page.waitForSelector(`${byTestId('scan-effect')}[data-action="select_document"]`, WAIT);
    expect(await testIdText(page, 'scan-effect')).toContain('RK-E2E-0002');

    await ws.postScan(station.id, tree.middles[0]!);
    await waitForText(page, 'recon-received', '2');
    await waitForText(page, 'recon-missing', '8');
    await page.click(byTestId('complete-document'));
    await page.waitForSelector(byTestId('shortage-confirm'), WAIT);
    expect(await testIdText(page, 'shortage-confirm')).toContain('8');
    // The screen is still the scanning screen: a scan goes through while the question is open.
    await ws.postScan(station.id, tree.middles[1]!);
    await waitForText(page, 'recon-received', '4');
    await page.click(byTestId('confirm-shortage'));
    await page.waitForSelector(`${byTestId('document-summary')}[data-status="completed"]`, WAIT);
    expect((await documentDetail(ws, doc.id)).document.status).toBe('completed');
    await page.close();
  }, 120_000);
});

describe('aggregation screen in Chromium', () => {
  it('opens a case, packs middle packs into it with the fill shown, switches mode and closes the case', async () => {
    const station = await dockStation(ws, 'E2E 装箱', 'aggregation');
    const page = await loggedInPage(browser, ws);
    await openDockScreen(page, ws, station.id);
    await page.waitForSelector(`${byTestId('aggregation-panel')}[data-mode="pack"]`, WAIT);

    const parent = traceCode(PREFIX.case);
    const opened = await ws.postScan(station.id, parent);
    expect(opened).toMatchObject({ decision: 'accepted', effect: { action: 'open_parent', parent } });
    await page.waitForSelector(byTestId('open-parent'), WAIT);
    expect(await testIdText(page, 'open-parent')).toContain(parent);

    for (let i = 0; i < 2; i++) expect(await ws.postScan(station.id, traceCode(PREFIX.middle))).toMatchObject({ decision: 'accepted', effect: { action: 'pack', parent } });
    await waitForText(page, 'open-parent-fill', '2 / 5');
    expect(await testIdText(page, 'scan-effect')).toContain(parent);
    expect(await testIdText(page, 'open-parent-partial')).toContain('零头');
    await screenshot(page, 'dock-aggregation');

    await page.click(byTestId('mode-unpack'));
    await page.waitForSelector(`${byTestId('aggregation-panel')}[data-mode="unpack"]`, WAIT);
    await page.click(byTestId('mode-pack'));
    await page.waitForSelector(`${byTestId('aggregation-panel')}[data-mode="pack"]`, WAIT);
    await page.click(byTestId('close-parent'));
    await page.waitForSelector(byTestId('open-parent'), { state: 'detached', ...WAIT });
    await page.close();
  }, 120_000);
});

describe('dock pages in Chromium', () => {
  it('creates a document from the documents page with pasted codes and opens its detail page', async () => {
    const codes = [await seedLooseUnit(ws.db.knex), await seedLooseUnit(ws.db.knex), await seedLooseUnit(ws.db.knex)];
    const page = await loggedInPage(browser, ws);
    await page.goto(`${ws.url}/#/documents`);
    await page.click(byTestId('documents-new'), WAIT);
    await page.fill(byTestId('create-number'), 'RK-E2E-0100');
    await page.waitForSelector(`${byTestId('create-counterparty')} option[value="${fx.supplierId}"]`, { state: 'attached', ...WAIT });
    await page.selectOption(byTestId('create-counterparty'), String(fx.supplierId));
    await page.fill(byTestId('create-delivery-note'), 'SH-20261122-01');
    await page.fill(byTestId('create-codes'), codes.join('\n'));
    await screenshot(page, 'dock-document-create', true);
    await page.click(byTestId('create-submit'));

    await page.waitForSelector(byTestId('document-page'), WAIT);
    expect(new URL(page.url()).hash).toMatch(/^#\/documents\/\d+$/);
    expect(await testIdText(page, 'document-number')).toBe('RK-E2E-0100');
    await waitForText(page, 'recon-expected', '3');
    expect(await testIdText(page, 'recon-missing')).toBe('3');

    await page.goto(`${ws.url}/#/documents`);
    await page.selectOption(byTestId('filter-status'), '');
    await page.waitForSelector(`${byTestId('document-row')}[data-status="completed"]`, WAIT);
    const rows = await page.locator(byTestId('document-row')).allInnerTexts();
    expect(rows.some((r) => r.includes('RK-E2E-0100'))).toBe(true);
    await screenshot(page, 'dock-documents');
    await page.close();
  }, 120_000);

  it('looks a received code up: state, the three codes, parent, history', async () => {
    const page = await loggedInPage(browser, ws);
    await page.goto(`${ws.url}/#/codes`);
    await page.waitForSelector(byTestId('code-input'), WAIT);
    // Scanned on the page (wedge burst into the focused box), not typed.
    await typeTimed(page, receivedUnit, 5, 'Enter');
    await page.waitForSelector(`${byTestId('code-view')}[data-state="in_stock"]`, WAIT);
    expect(new URL(page.url()).hash).toBe(`#/codes/${receivedUnit}`);
    expect(await testIdText(page, 'code-state')).toBe('在库');
    expect(await testIdText(page, 'code-product')).toBe('阿莫西林胶囊');
    expect(await testIdText(page, 'code-nhsa')).toBe('XJ01CAA040A001010100001');
    expect(await testIdText(page, 'code-commodity')).toBe(GTIN_UNIT);
    const api = await json<CodeView>(ws, 'GET', `/api/codes/${receivedUnit}`);
    expect(await testIdText(page, 'code-parent')).toBe(api.parent!);
    await page.waitForSelector(byTestId('timeline-event'), WAIT);
    const kinds = await page.locator(byTestId('timeline-event')).evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds).toEqual(expect.arrayContaining(['receive', 'complete']));

    await page.goto(`${ws.url}/#/codes/${receivedCase}`);
    await page.waitForSelector(`${byTestId('code-view')}[data-state="in_stock"]`, WAIT);
    expect(await testIdText(page, 'code-units')).toBe('10');
    await screenshot(page, 'dock-code-lookup', true);

    await page.goto(`${ws.url}/#/codes/89999990000000000001`);
    await page.waitForSelector(byTestId('code-error'), WAIT);
    await page.close();
  }, 120_000);

  it('learn flow: the screen asks for the commodity barcode; the request is approved on the mappings page', async () => {
    const station = await dockStation(ws, 'E2E 登记', 'receiving');
    const page = await loggedInPage(browser, ws);
    await openDockScreen(page, ws, station.id);
    const unknown = traceCode('8300001');
    const first = await ws.postScan(station.id, unknown);
    expect(first).toMatchObject({ decision: 'rejected', reasonCode: 'unknown_product' });
    await page.waitForSelector(byTestId('learn-prompt'), WAIT);
    expect(await testIdText(page, 'learn-prompt')).toContain('请扫描该包装的商品条码');
    expect(await testIdText(page, 'learn-prompt')).toContain(unknown);

    const learnt = await ws.postScan(station.id, GTIN_UNIT);
    expect(learnt).toMatchObject({ decision: 'accepted', reasonCode: 'learn_pending' });
    await page.waitForSelector(byTestId('learn-prompt'), { state: 'detached', ...WAIT });

    await page.goto(`${ws.url}/#/mappings`);
    const row = page.locator(`${byTestId('mapping-row')}[data-status="pending"]`, { hasText: '8300001' });
    await row.waitFor(WAIT);
    await row.locator(byTestId('mapping-approve')).click();
    await row.waitFor({ state: 'detached', ...WAIT });
    const active = await json<MappingView[]>(ws, 'GET', '/api/mappings?status=active');
    expect(active.some((m) => m.value === '8300001' && m.kind === 'prefix')).toBe(true);
    await page.close();
  }, 120_000);
});
