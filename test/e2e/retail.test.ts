import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/lib/chromium.js';
import { byTestId, loggedInPage, screenshot, testIdText } from '../helpers/dock-ui.js';
import { ensureUiBuilt } from '../helpers/ui-build.js';
import { startTestWorkstation, type TestWorkstation } from '../helpers/workstation.js';
import { typeTimed } from './keys.js';

/**
 * The retail counter (issue 7 §6) in a real Chromium: an ephedrine sale that asks for the buyer,
 * is blocked at the third pack in words and completes at two; a prescription sale with its form and
 * a photo; then the day's reconciliation with both sales accepted by the built-in Gansu sandbox.
 * `SCREENSHOTS=1` writes docs/screenshots/retail-counter.png.
 */

const WAIT = { timeout: 15_000 };
const VALID_ID = '11010519491231002X';
const PREFIX = { yc: '8300001', yb: '8300002' } as const;
const chinaToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
let serial = 1;

let ws: TestWorkstation;
let browser: Browser;

/** A real PNG (the server checks the magic bytes; the browser must be able to show it). */
function png(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = y * (width * 3 + 1) + 1 + x * 3;
      const line = y % 8 === 0 && x > 6 && x < width - 6; // a "written" prescription
      rows.set(line ? [40, 60, 120] : [250, 248, 236], o);
    }
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

async function stock(prefix: string, n: number): Promise<string[]> {
  const codes = Array.from({ length: n }, () => prefix + String(serial++).padStart(13, '0'));
  await ws.db.knex('code_states').insert(codes.map((c) => ({ unit_id: ws.session.unitId, code: c, state: 'in_stock', level: 1, batch: 'E2E2026', expiry: '2028-12-31', movement_id: 0, updated_at: Date.now() })));
  return codes;
}

async function scan(page: Page, code: string): Promise<void> {
  await page.fill(byTestId('scan-input'), code);
  await page.press(byTestId('scan-input'), 'Enter');
}

const lines = (page: Page) => page.locator(byTestId('sale-line'));
async function waitLines(page: Page, n: number): Promise<void> {
  await page.waitForFunction((want) => document.querySelectorAll('[data-testid="sale-line"]').length === want, n, WAIT);
}
const completeEnabled = (page: Page, enabled: boolean) => page.waitForSelector(`${byTestId('complete')}${enabled ? ':not([disabled])' : '[disabled]'}`, WAIT);

beforeAll(async () => {
  ensureUiBuilt();
  ws = await startTestWorkstation();
  const at = Date.now();
  const product = async (code: string, name: string, flags: Record<string, boolean>, prefix: string) => {
    const [p] = (await ws.db.knex('products').insert({ code, name, generic_name: name, approval_no: '国药准字H20003456', manufacturer: '兰州示范制药', created_at: at, updated_at: at, ...flags }).returning('id')) as Array<{ id: number }>;
    await ws.db.knex('product_codes').insert({ product_id: Number(p!.id), level: 1, kind: 'prefix', value: prefix, status: 'active', proposed_at: at, decided_at: at });
  };
  await product('E2E-YC', '复方盐酸伪麻黄碱缓释胶囊', { ephedrine: true }, PREFIX.yc);
  await product('E2E-YB', '阿莫西林胶囊', { prescription: true }, PREFIX.yb);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ws?.stop();
});

describe('retail counter in Chromium', () => {
  it('sells an ephedrine compound with the buyer, blocks the third pack in words, sells on prescription with a photo, and reconciles the day', async () => {
    const yc = await stock(PREFIX.yc, 3);
    const [yb, ybCancelled] = await stock(PREFIX.yb, 2);
    const page = await loggedInPage(browser, ws);
    await page.goto(`${ws.url}/#/retail`);
    await page.waitForSelector(`${byTestId('retail-page')}[data-ready="true"]`, WAIT);
    expect(await page.locator(byTestId('nav-retail')).innerText()).toBe('零售柜台');
    // The scan field holds the focus from the start.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('scan-input');

    // (a) Two packs of an ephedrine compound: the first scan opens the sale, the page asks for the buyer.
    await scan(page, yc[0]!);
    await waitLines(page, 1);
    await scan(page, yc[1]!);
    await waitLines(page, 2);
    expect(await lines(page).first().innerText()).toContain('复方盐酸伪麻黄碱缓释胶囊');
    expect(await lines(page).first().locator(byTestId('category-badge')).innerText()).toContain('含麻黄碱');
    await page.waitForSelector(`${byTestId('need')}[data-field="buyer.idNumber"]`, WAIT);
    await page.waitForSelector(byTestId('buyer-form'), WAIT);
    await completeEnabled(page, false);
    expect(await testIdText(page, 'complete-why')).toContain('身份证');

    // The same pack again is refused, in words, big and red.
    await scan(page, yc[0]!);
    await page.waitForSelector(byTestId('scan-refusal'), WAIT);
    expect(await testIdText(page, 'scan-refusal-reason')).toContain('已在本单中');
    expect(await page.getAttribute(byTestId('retail-page'), 'data-state')).toBe('refused');

    await page.fill(byTestId('buyer-name'), '张三丰');
    await page.fill(byTestId('buyer-id'), VALID_ID);
    await page.click(byTestId('buyer-save'));
    await page.waitForSelector(byTestId('buyer-summary'), WAIT);
    expect(await testIdText(page, 'buyer-summary-id')).toBe('110105********002X');
    await completeEnabled(page, true);

    // The third pack: blocked by the 2-pack rule, said in words with its reference.
    await scan(page, yc[2]!);
    await waitLines(page, 3);
    const block = page.locator(`${byTestId('sale-block')}[data-rule="yc-max-per-sale"]`);
    await block.waitFor(WAIT);
    expect(await block.innerText()).toContain('2 个最小包装');
    expect(await block.innerText()).toContain('国食药监办〔2012〕260号');
    await completeEnabled(page, false);
    expect(await testIdText(page, 'complete-why')).toContain('2 个最小包装');
    await screenshot(page, 'retail-counter', true);

    await page.click(`${byTestId('sale-line')}[data-code="${yc[2]}"] ${byTestId('line-remove')}`);
    await waitLines(page, 2);
    await completeEnabled(page, true);
    await page.click(byTestId('complete'));
    await page.waitForSelector(`${byTestId('sale-finished')}[data-kind="completed"]`, WAIT);
    expect(await testIdText(page, 'sale-finished-word')).toBe('已完成');
    const firstNumber = await page.getAttribute(byTestId('sale-finished'), 'data-number');
    expect(firstNumber).toBeTruthy();
    expect(await page.locator(byTestId('sale-finished')).innerText()).toContain(firstNumber!);

    // (b) A prescription drug, scanned by a keyboard-wedge burst: a fresh sale opens by itself.
    await typeTimed(page, yb!, 5, 'Enter');
    await page.waitForSelector(`${byTestId('retail-page')}[data-state="open"]`, WAIT);
    await waitLines(page, 1);
    expect(await page.locator(byTestId('sale-finished')).count()).toBe(0);
    expect(await lines(page).first().locator(byTestId('category-badge')).innerText()).toContain('处方药');
    await page.waitForSelector(byTestId('prescription-form'), WAIT);
    await completeEnabled(page, false);
    await page.fill(byTestId('rx-number'), 'CF-2026-001');
    await page.fill(byTestId('rx-prescriber'), '刘医生');
    await page.fill(byTestId('rx-hospital'), '兰州市第一人民医院');
    await page.fill(byTestId('rx-date'), chinaToday());
    await page.click(byTestId('rx-save'));
    await page.waitForSelector(byTestId('prescription-summary'), WAIT);
    await page.waitForSelector(`${byTestId('need')}[data-field="prescription.photoRef"]`, WAIT);
    await completeEnabled(page, false);
    await page.setInputFiles(byTestId('rx-photo-input'), { name: 'rx.png', mimeType: 'image/png', buffer: png(96, 64) });
    await page.waitForSelector(`${byTestId('rx-photo-preview')}[data-loaded="true"]`, WAIT);
    expect(await page.locator(byTestId('rx-photo-preview')).evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(96);
    await completeEnabled(page, true);
    await page.click(byTestId('complete'));
    await page.waitForSelector(`${byTestId('sale-finished')}[data-kind="completed"]`, WAIT);
    const secondNumber = await page.getAttribute(byTestId('sale-finished'), 'data-number');
    expect(secondNumber).not.toBe(firstNumber);

    // A sale cancelled with its reason, inline: it leaves no trace in the day's figures.
    await scan(page, ybCancelled!);
    await waitLines(page, 1);
    await page.click(byTestId('cancel'));
    await page.fill(byTestId('cancel-reason'), '顾客不买了');
    await page.click(byTestId('cancel-confirm'));
    await page.waitForSelector(`${byTestId('sale-finished')}[data-kind="cancelled"]`, WAIT);
    expect(await testIdText(page, 'sale-finished-word')).toBe('已作废');

    // (c) Today's reconciliation: both sales, their rows accepted by the sandbox, no differences.
    await page.click(byTestId('to-reconciliation'));
    await page.waitForSelector(`${byTestId('retail-recon-page')}[data-ready="true"]`, WAIT);
    expect(await page.inputValue(byTestId('recon-date'))).toBe(chinaToday());
    expect(await testIdText(page, 'recon-sales')).toBe('2');
    expect(await testIdText(page, 'recon-expected')).toBe('2');
    // The page looks again by itself while rows are on their way.
    await page.waitForFunction(() => document.querySelector('[data-testid="recon-accepted"]')?.textContent?.trim() === '2', undefined, { timeout: 30_000 });
    await page.waitForSelector(byTestId('recon-clean'), WAIT);
    expect(await page.locator(byTestId('recon-difference')).count()).toBe(0);
    expect(await testIdText(page, 'recon-register')).toBe('2');
    await page.close();
  }, 60_000);
});
