import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { TestWorkstation } from './workstation.js';

/**
 * Browser helpers for the dock screens' end-to-end tests: a page holding the admin session cookie,
 * reading a data-testid's text, and README screenshots taken only when SCREENSHOTS=1.
 */

export const VIEWPORT = { width: 1280, height: 800 } as const;

/** A page whose browser holds the admin session cookie (what the login screen leaves behind). */
export async function loggedInPage(browser: Browser, ws: TestWorkstation): Promise<Page> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  await page.context().addCookies([{ name: 'td_session', value: ws.session.token, url: ws.url }]);
  return page;
}

export const byTestId = (id: string): string => `[data-testid="${id}"]`;

export const testIdText = (page: Page, id: string): Promise<string> => page.locator(byTestId(id)).first().innerText();

/** Waits until the element's text (trimmed) is exactly `want`. */
export async function waitForText(page: Page, id: string, want: string, timeout = 10_000): Promise<void> {
  await page.waitForFunction(
    ([sel, text]) => document.querySelector(sel!)?.textContent?.trim() === text,
    [byTestId(id), want] as const,
    { timeout },
  );
}

/** Opens a station screen and waits until it joined its room and got its dock context. */
export async function openDockScreen(page: Page, ws: TestWorkstation, stationId: number): Promise<void> {
  await page.goto(`${ws.url}/#/station/${stationId}`);
  await page.waitForSelector('[data-testid="station-screen"][data-ready="true"]', { timeout: 15_000 });
  await page.waitForSelector('[data-testid="dock-panel"][data-loaded="true"]', { timeout: 15_000 });
}

export const SCREENSHOTS = process.env.SCREENSHOTS === '1';
const OUT_DIR = path.resolve(import.meta.dirname, '../../docs/screenshots');

/** Writes docs/screenshots/<name>.png when SCREENSHOTS=1 (after the state colour settled). */
export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  if (!SCREENSHOTS) return;
  fs.mkdirSync(OUT_DIR, { recursive: true });
  await page.waitForTimeout(600);
  await page.screenshot({ path: path.join(OUT_DIR, `${name}.png`), fullPage });
}
