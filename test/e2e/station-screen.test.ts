import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/lib/chromium.js';
import type { ScanView, StationView } from '../../server/contract/views.js';
import { startTestWorkstation, type TestWorkstation } from '../helpers/workstation.js';
import { ensureUiBuilt } from '../helpers/ui-build.js';
import { typeTimed } from './keys.js';

/**
 * Real browser against a real workstation: the built UI served by the server, scans posted over
 * HTTP or typed as a keyboard-wedge scanner would, the screen checked through its data-testid hooks.
 */

const screen = '[data-testid="station-screen"]';

let ws: TestWorkstation;
let browser: Browser;

beforeAll(async () => {
  ensureUiBuilt();
  ws = await startTestWorkstation();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await ws?.stop();
});

/** Opens a fresh station and waits until the screen has joined its room (snapshot applied). */
/** A page whose browser holds the admin session cookie (what the login screen leaves behind). */
async function loggedInPage(options?: Parameters<Browser['newPage']>[0]): Promise<Page> {
  const page = await browser.newPage(options);
  await page.context().addCookies([{ name: 'td_session', value: ws.session.token, url: ws.url }]);
  return page;
}

async function openStation(name: string, kind: StationView['kind'] = 'query'): Promise<{ page: Page; stationId: number }> {
  const { id } = await ws.createStation(name, kind);
  const page = await loggedInPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${ws.url}/#/station/${id}`);
  await page.waitForSelector(`${screen}[data-ready="true"]`, { timeout: 10_000 });
  return { page, stationId: id };
}

const text = (page: Page, testId: string) => page.locator(`[data-testid="${testId}"]`).innerText();

async function journal(stationId: number): Promise<ScanView[]> {
  const res = await ws.api(`/api/scans?stationId=${stationId}`);
  return (await res.json()) as ScanView[];
}

describe('station screen in Chromium', () => {
  it('shows a posted scan as accepted within a second, then duplicate, then a rejected one with its reason', async () => {
    const { page, stationId } = await openStation('E2E 收货');
    expect(await page.getAttribute(screen, 'data-state')).toBe('idle');

    const code = '81234567890123456789';
    await ws.postScan(stationId, code);
    await page.waitForSelector(`${screen}[data-state="accepted"]`, { timeout: 1000 });
    expect(await text(page, 'last-scan-text')).toBe(code);
    expect(await text(page, 'counter-accepted')).toBe('1');

    await ws.postScan(stationId, code);
    await page.waitForSelector(`${screen}[data-state="duplicate"]`, { timeout: 1000 });
    expect(await text(page, 'last-scan-text')).toBe(code);
    expect(await text(page, 'counter-duplicate')).toBe('1');

    const garbage = await ws.postScan(stationId, '§§ ¿¿¿ §§');
    expect(garbage.decision).toBe('rejected');
    await page.waitForSelector(`${screen}[data-state="rejected"]`, { timeout: 1000 });
    expect(await text(page, 'last-scan-reason')).toBe(garbage.reason?.['zh-CN']);
    expect(await text(page, 'counter-rejected')).toBe('1');
    expect(await page.locator('[data-testid="recent-scan"]').count()).toBe(3);

    // The English switch re-renders the same scan's reason in English.
    await page.getByRole('button', { name: 'English' }).click();
    expect(await text(page, 'last-scan-reason')).toBe(garbage.reason?.en);
    await page.close();
  });

  it('shows ASCII 29 (GS) as ␝', async () => {
    const { page, stationId } = await openStation('E2E GS');
    await ws.postScan(stationId, '010690123456789217261231\x1d21SN0001');
    await page.waitForSelector(`${screen}[data-state="accepted"]`, { timeout: 1000 });
    expect(await text(page, 'last-scan-text')).toBe('010690123456789217261231␝21SN0001');
    await page.close();
  });

  it('shows what the decoder understood (GTIN, batch, expiry, serial; trace code and prefix) and a decoder rejection in plain words', async () => {
    const { page, stationId } = await openStation('E2E 解码');
    await ws.postScan(stationId, ']d2010690123456789217281231\x1d10LOT42\x1d21SN0007');
    await page.waitForSelector(`${screen}[data-state="accepted"]`, { timeout: 1000 });
    const fields = await text(page, 'decoded-fields');
    for (const v of ['06901234567892', 'LOT42', '2028-12-31', 'SN0007']) expect(fields).toContain(v);

    await ws.postScan(stationId, '89123450000000000017');
    await page.waitForFunction(() => document.querySelector('[data-testid="last-scan-text"]')?.textContent?.includes('8912345'));
    const traceFields = await text(page, 'decoded-fields');
    expect(traceFields).toContain('8912345'); // the 7-digit prefix
    expect(traceFields).toContain('特殊药品'); // special-control (89) flag, in words
    expect(traceFields).toContain('药品追溯码'); // the code type in words, not 'trace20'

    // A product barcode at a receiving dock is the classic wrong barcode: rejected, and said so.
    await page.close();
    const dock = await openStation('E2E 收货解码', 'receiving');
    const wrong = await ws.postScan(dock.stationId, '6901234567892');
    expect(wrong.reasonCode).toBe('commodity_not_trace');
    await dock.page.waitForSelector(`${screen}[data-state="rejected"]`, { timeout: 1000 });
    expect(await text(dock.page, 'last-scan-reason')).toBe(wrong.reason?.['zh-CN']);
    await ws.postScan(dock.stationId, '0109506000134353');
    await dock.page.waitForFunction(() => document.querySelector('[data-testid="last-scan-text"]')?.textContent === '0109506000134353');
    expect(await text(dock.page, 'last-scan-reason')).toMatch(/校验/);
    await dock.page.close();
  });

  it('F4 undoes the last accepted scan with a reason: struck through in the list, counter back, nothing erased', async () => {
    const { page, stationId } = await openStation('E2E 撤销');
    const scan = await ws.postScan(stationId, '83857930000000000555');
    await page.waitForSelector(`${screen}[data-state="accepted"]`, { timeout: 1000 });
    expect(await text(page, 'counter-accepted')).toBe('1');
    await page.keyboard.press('F4');
    await page.waitForSelector('[data-testid="undo-dialog"]');
    await page.keyboard.press('2');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="recent-scan"][data-undone="true"]', { timeout: 2000 });
    expect(await text(page, 'counter-accepted')).toBe('0');
    expect(await page.locator('[data-testid="undo-dialog"]').count()).toBe(0);
    const stored = await ws.repos.scans.get(scan.id!);
    expect(stored?.undone?.reason).toBe('药盒已放回，不收/不发');
    expect(stored?.decision).toBe('accepted');
    await page.close();
  });

  it('F9 locks the station; a wrong badge is refused in words; the right badge scanned as a wedge burst unlocks it', async () => {
    await ws.api(`/api/operators/${ws.session.operatorId}/station-credentials`, { method: 'PUT', body: JSON.stringify({ badge: 'BADGE-ADMIN-01' }) });
    const { page } = await openStation('E2E 锁屏');
    await page.keyboard.press('F9');
    await page.waitForSelector('[data-testid="station-locked"]');
    const burst = (text: string) =>
      page.evaluate((chars) => {
        for (const key of [...chars, 'Enter']) window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
      }, text);
    await burst('BADGE-WRONG-9');
    await page.waitForSelector('[data-testid="lock-error"]');
    expect(await text(page, 'lock-error')).toMatch(/工牌或 PIN 不正确/);
    await burst('BADGE-ADMIN-01');
    await page.waitForSelector('[data-testid="station-locked"]', { state: 'detached', timeout: 2000 });
    await page.close();
  });

  it('records a keyboard-wedge burst on the window, but not the same keys typed slowly', async () => {
    const { page, stationId } = await openStation('E2E 键盘枪');
    const burst = '81234567890000000001';
    // Synthetic keydowns on the window with nothing focused: a scanner's burst takes ~1 ms per key here.
    await page.evaluate((chars) => {
      for (const key of [...chars, 'Enter']) window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
    }, burst);
    await page.waitForSelector(`${screen}[data-state="accepted"]`, { timeout: 2000 });
    expect(await text(page, 'last-scan-text')).toBe(burst);
    const stored = await journal(stationId);
    expect(stored.map((s) => [s.text, s.source])).toEqual([[burst, 'wedge']]);

    const slow = '81234567890000000002';
    await page.keyboard.type(slow, { delay: 150 });
    await page.keyboard.press('Enter');
    await page.waitForTimeout(1000);
    expect(await text(page, 'last-scan-text')).toBe(burst);
    expect(await page.locator('[data-testid="recent-scan"]').count()).toBe(1);
    expect((await journal(stationId)).map((s) => s.text)).toEqual([burst]);
    await page.close();
  });

  it('submits a typed code from the manual-entry box (F2) as a manual scan', async () => {
    const { page, stationId } = await openStation('E2E 手动');
    await page.keyboard.press('F2');
    const input = page.locator('[data-testid="manual-input"]');
    await input.waitFor();
    await input.fill('81234567890000000003'); // fill: no keydowns, so the wedge detector stays out of it
    await input.press('Enter');
    await page.waitForSelector(`${screen}[data-state="accepted"]`, { timeout: 2000 });
    expect((await journal(stationId)).map((s) => [s.text, s.source])).toEqual([['81234567890000000003', 'manual']]);

    // Esc on the station screen goes back to the stations list.
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="station-item"]');
    await page.close();
  });

  it('takes a scanner burst typed into a focused text box as a wedge scan and leaves the box as it was', async () => {
    const { page, stationId } = await openStation('E2E 输入框');
    await page.keyboard.press('F2');
    const input = page.locator('[data-testid="manual-input"]');
    await input.fill('81');
    // Real key presses into the focused input, 5 ms apart like a scanner's.
    await typeTimed(page, '81234567890000000004', 5, 'Enter');
    await page.waitForSelector(`${screen}[data-state="accepted"]`, { timeout: 2000 });
    expect(await input.inputValue()).toBe('81');
    expect((await journal(stationId)).map((s) => [s.text, s.source])).toEqual([['81234567890000000004', 'wedge']]);
    await page.close();
  });
});

describe('stations page in Chromium', () => {
  it('opens a station with its digit key, but not from a scanner burst', async () => {
    await ws.createStation('E2E 列表');
    const page = await loggedInPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${ws.url}/#/`);
    const items = page.locator('[data-testid="station-item"]');
    await items.first().waitFor();
    expect(await items.count()).toBeGreaterThan(1);

    await typeTimed(page, '2222222222222', 5, 'Enter');
    await page.waitForTimeout(300);
    expect(new URL(page.url()).hash).toBe('#/');

    const second = await items.nth(1).getAttribute('data-station-id');
    await page.keyboard.press('2');
    await page.waitForSelector(screen);
    expect(new URL(page.url()).hash).toBe(`#/station/${second}`);
    await page.close();
  });
});

describe('devices page in Chromium', () => {
  it('binds a virtual scanner to a station and shows its live status there and on the station screen', async () => {
    const { id } = await ws.createStation('E2E 设备');
    const page = await loggedInPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${ws.url}/#/devices`);
    const form = page.locator('[data-testid="bind-form"]');
    await form.waitFor();
    await form.locator('select').first().selectOption('virtual');
    await form.locator('select').nth(1).selectOption(String(id));
    await form.locator('input').first().fill('E2E 虚拟枪');
    await form.locator('button[type="submit"]').click();
    const row = page.locator('[data-testid="scanner-status"]', { hasText: 'E2E 虚拟枪' });
    await row.waitFor({ timeout: 5000 });
    expect(await row.getAttribute('data-state')).toBe('online');

    await page.goto(`${ws.url}/#/station/${id}`);
    const chip = page.locator('[data-testid="scanner-status"]', { hasText: 'E2E 虚拟枪' });
    await chip.waitFor({ timeout: 5000 });
    expect(await chip.getAttribute('data-state')).toBe('online');
    await page.close();
  });
});
