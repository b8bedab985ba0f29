import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { SaleView } from '../../server/contract/retail.js';
import { launchChromium } from '../../scripts/lib/chromium.js';
import { json } from '../helpers/dock.js';
import { byTestId, loggedInPage, testIdText } from '../helpers/dock-ui.js';
import { ensureUiBuilt } from '../helpers/ui-build.js';
import { startTestWorkstation, type TestWorkstation } from '../helpers/workstation.js';

/**
 * 专册 (issue 7 §6) in a real Chromium: one ephedrine sale completed through the API, then the
 * register page shows it with the buyer masked, shows one row in full after a reason, and exports
 * the day encrypted (OpenSSL's `Salted__` format) as a download.
 */

const WAIT = { timeout: 15_000 };
const VALID_ID = '11010519491231002X';
const PREFIX = '8300001';
const chinaToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

let ws: TestWorkstation;
let browser: Browser;
let saleNumber = '';

beforeAll(async () => {
  ensureUiBuilt();
  ws = await startTestWorkstation();
  const at = Date.now();
  const [p] = (await ws.db.knex('products').insert({ code: 'REG-YC', name: '复方盐酸伪麻黄碱缓释胶囊', generic_name: '复方盐酸伪麻黄碱缓释胶囊', approval_no: '国药准字H20003456', manufacturer: '兰州示范制药', created_at: at, updated_at: at, ephedrine: true }).returning('id')) as Array<{ id: number }>;
  await ws.db.knex('product_codes').insert({ product_id: Number(p!.id), level: 1, kind: 'prefix', value: PREFIX, status: 'active', proposed_at: at, decided_at: at });
  const codes = [1, 2].map((n) => PREFIX + String(n).padStart(13, '0'));
  await ws.db.knex('code_states').insert(codes.map((c) => ({ unit_id: ws.session.unitId, code: c, state: 'in_stock', level: 1, batch: 'REG2026', expiry: '2028-12-31', movement_id: 0, updated_at: at })));
  const s = await json<SaleView>(ws, 'POST', '/api/retail/sales', {});
  for (const c of codes) await json<SaleView>(ws, 'POST', `/api/retail/sales/${s.id}/codes`, { code: c });
  await json<SaleView>(ws, 'PUT', `/api/retail/sales/${s.id}/buyer`, { name: '张三丰', idNumber: VALID_ID });
  const done = await json<SaleView>(ws, 'POST', `/api/retail/sales/${s.id}/complete`, {});
  expect(done.status).toBe('completed');
  saleNumber = done.number;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ws?.stop();
});

describe('retail register in Chromium', () => {
  it('shows the day masked, one row in full after a reason, and exports the day encrypted', async () => {
    const page = await loggedInPage(browser, ws);
    // Reached from the counter's link.
    await page.goto(`${ws.url}/#/retail`);
    await page.waitForSelector(`${byTestId('retail-page')}[data-ready="true"]`, WAIT);
    await page.click(byTestId('to-register'));
    await page.waitForSelector(`${byTestId('retail-register-page')}[data-ready="true"]`, WAIT);
    expect(await page.inputValue(byTestId('register-date'))).toBe(chinaToday());
    expect(await page.getAttribute(byTestId('register-report'), 'href')).toBe(`/api/retail/reconciliation/report?date=${chinaToday()}`);

    const row = page.locator(`${byTestId('register-row')}[data-sale="${saleNumber}"]`);
    await row.waitFor(WAIT);
    expect(await page.locator(byTestId('register-row')).count()).toBe(1);
    expect(await row.innerText()).toContain('复方盐酸伪麻黄碱缓释胶囊');
    expect(await row.locator(byTestId('category-badge')).innerText()).toContain('含麻黄碱');
    expect((await row.locator(byTestId('register-buyer-name')).innerText()).trim()).toBe('张**');
    expect((await row.locator(byTestId('register-buyer-id')).innerText()).trim()).toBe('110105********002X');
    expect(await page.content()).not.toContain(VALID_ID);

    // Show in full: the reason is asked inline, the clear buyer appears in this row with the note.
    await row.locator(byTestId('register-reveal')).click();
    await page.waitForSelector(`${byTestId('register-reveal-confirm')}[disabled]`, WAIT);
    await page.fill(byTestId('register-reveal-reason'), '药监检查核对');
    await page.click(byTestId('register-reveal-confirm'));
    await page.waitForSelector(`${byTestId('register-row')}[data-revealed="true"]`, WAIT);
    expect((await row.locator(byTestId('register-buyer-name')).innerText()).trim()).toBe('张三丰');
    expect((await row.locator(byTestId('register-buyer-id')).innerText()).trim()).toBe(VALID_ID);
    expect(await testIdText(page, 'register-reveal-logged')).toContain('审计日志');

    // Export encrypted: the password twice and a reason; the browser downloads register-<date>.xlsx.enc.
    await page.fill(byTestId('register-export-password'), 'correct-horse-battery');
    await page.fill(byTestId('register-export-password2'), 'correct-horse-batter');
    await page.waitForSelector(byTestId('register-export-problem'), WAIT);
    await page.fill(byTestId('register-export-password2'), 'correct-horse-battery');
    await page.fill(byTestId('register-export-reason'), '报送药监部门');
    const [download] = await Promise.all([page.waitForEvent('download', WAIT), page.click(byTestId('register-export-submit'))]);
    expect(download.suggestedFilename()).toBe(`register-${chinaToday()}.xlsx.enc`);
    const file = await download.path();
    expect(fs.readFileSync(file!).subarray(0, 8).toString('latin1')).toBe('Salted__');
    await page.waitForSelector(byTestId('register-export-done'), WAIT);
    expect(await testIdText(page, 'register-export-command')).toBe(`openssl enc -d -aes-256-cbc -pbkdf2 -iter 200000 -md sha256 -in register-${chinaToday()}.xlsx.enc -out register.xlsx`);

    // The reconciliation links back to the register and to the daily report.
    await page.goto(`${ws.url}/#/retail/reconciliation`);
    await page.waitForSelector(`${byTestId('retail-recon-page')}[data-ready="true"]`, WAIT);
    await page.click(byTestId('recon-to-register'));
    await page.waitForSelector(`${byTestId('retail-register-page')}[data-ready="true"]`, WAIT);
    await page.close();
  }, 90_000);
});
