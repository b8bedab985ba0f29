import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../scripts/lib/chromium.js';
import { DEV_ADMIN_PASSWORD } from '../../scripts/lib/dev-session.js';
import { startTestWorkstation, type TestWorkstation } from '../helpers/workstation.js';
import { ensureUiBuilt } from '../helpers/ui-build.js';

/** Issue 4 acceptance in a real browser: login, unit choice, a station screen, logout. */
describe('login, unit choice, station, logout (real Chromium)', () => {
  let ws: TestWorkstation;
  let browser: Browser;

  beforeAll(async () => {
    ensureUiBuilt();
    ws = await startTestWorkstation();
    // A second unit makes the choice real (a chain's stores, or a distributor serving two companies).
    const second = (await (await ws.api('/api/units', { method: 'POST', body: JSON.stringify({ name: '甘肃第二药房', uscc: '91110000600037341L', type: 'retail' }) })).json()) as { id: number };
    await ws.api('/api/bindings', { method: 'POST', body: JSON.stringify({ operatorId: ws.session.operatorId, unitId: second.id }) });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await ws?.stop();
  });

  it('a wrong password is refused in plain words; the right one, a unit, a station, scans, and logout work', async () => {
    const station = await ws.createStation('登录测试收货台');
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(ws.url);
    await page.waitForSelector('[data-testid="login-username"]');

    await page.fill('[data-testid="login-username"]', 'admin');
    await page.fill('[data-testid="login-password"]', 'Wrong#Pass2026');
    await page.press('[data-testid="login-password"]', 'Enter');
    await page.waitForSelector('[data-testid="login-error"]');
    expect(await page.textContent('[data-testid="login-error"]')).toMatch(/用户名或密码不正确/);

    await page.fill('[data-testid="login-password"]', DEV_ADMIN_PASSWORD);
    await page.click('[data-testid="login-submit"]');
    await page.waitForSelector('[data-testid="unit-choice-item"]');
    expect(await page.locator('[data-testid="unit-choice-item"]').count()).toBe(2);
    await page.locator('[data-testid="unit-choice-item"]', { hasText: '兰州示范医药有限公司' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="session-unit"]')?.textContent?.includes('兰州示范医药有限公司'), null, { timeout: 3000 });

    await page.goto(`${ws.url}/#/station/${station.id}`);
    await page.waitForSelector('[data-testid="station-screen"][data-ready="true"]');
    const scan = await ws.postScan(station.id, '83857930000879766660');
    await page.waitForSelector('[data-testid="station-screen"][data-state="accepted"]', { timeout: 2000 });
    expect(scan.operatorId).toBe(ws.session.operatorId);

    const cookie = (await page.context().cookies()).find((c) => c.name === 'td_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Strict');
    await page.goto(ws.url);
    await page.click('[data-testid="logout"]');
    await page.waitForSelector('[data-testid="login-username"]');
    const after = await fetch(`${ws.url}/api/session`, { headers: { cookie: `td_session=${cookie!.value}` } });
    expect(after.status).toBe(401);
    await page.close();
  });
});
