import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/lib/chromium.js';
import { builtInNhsaProfile } from '../../server/platforms/nhsa/profile.js';
import type { NhsaProfile } from '../../server/platforms/nhsa/profile.schema.js';
import { startNhsaSandbox, type NhsaSandbox } from '../../server/platforms/sandbox/nhsa/index.js';
import { dockStation, json, openDocument, PREFIX, seedCase, seedDock, traceCode, type DockFixture } from '../helpers/dock.js';
import { byTestId, loggedInPage, screenshot, testIdText, waitForText } from '../helpers/dock-ui.js';
import { ensureUiBuilt } from '../helpers/ui-build.js';
import { startTestWorkstation, type TestWorkstation } from '../helpers/workstation.js';
import { typeTimed } from './keys.js';

/**
 * The upload monitor (issue 6 §8) in a real Chromium: a backlog built while the outbox worker is
 * stopped, then drained live against a real NHSA sandbox that is stricter than the client (the
 * circulation item's batch is required there), so one record comes back refused with the
 * sandbox's own per-record message. `SCREENSHOTS=1` writes docs/screenshots/uploads-monitor.png.
 */

const WAIT = { timeout: 15_000 };
const ACCOUNT = { ak: 'e2e-monitor-ak', sk: 'e2e-monitor-sk-不可外传', uscc: '91350100M000100Y43', name: '兰州示范医药有限公司' };

/** The built-in profile, except that the platform insists on a batch for every circulation item. */
function batchRequiredProfile(): NhsaProfile {
  const profile = structuredClone(builtInNhsaProfile());
  const batch = profile.operations.circulation.item.find((f) => f.name === 'manu_lotnum');
  if (!batch) throw new Error('the built-in profile has no circulation manu_lotnum field');
  batch.required = true;
  return profile;
}

let sandbox: NhsaSandbox;
let ws: TestWorkstation;
let browser: Browser;
let fx: DockFixture;

beforeAll(async () => {
  ensureUiBuilt();
  sandbox = await startNhsaSandbox({ profile: batchRequiredProfile(), accounts: [ACCOUNT] });
  ws = await startTestWorkstation({
    env: { TRACEDOCK_NHSA_URL: sandbox.url, TRACEDOCK_NHSA_AK: ACCOUNT.ak, TRACEDOCK_NHSA_SK: ACCOUNT.sk, TRACEDOCK_UPLOAD_GRACE_MS: '200' },
  });
  fx = await seedDock(ws.db.knex, ws.session.unitId);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ws?.stop();
  await sandbox?.close();
});

/** A receiving document holding the given codes, scanned and completed: one circulation record per code. */
async function receive(stationId: number, number: string, codes: string[]): Promise<void> {
  const doc = await openDocument(ws, { direction: 'in', number, type: '102', counterpartyId: fx.supplierId, stationId });
  for (const code of codes) expect(await ws.postScan(stationId, code)).toMatchObject({ decision: 'accepted' });
  await json(ws, 'POST', `/api/documents/${doc.id}/complete`, {});
}

const tile = (page: Page, state: string) => testIdText(page, `total-${state}`);

describe('upload monitor in Chromium', () => {
  it('shows the backlog, drains it live to the sandbox, and lists the record the sandbox refused with its message', async () => {
    await ws.uploads.worker.stop();
    const station = await dockStation(ws, 'E2E 上传收货', 'receiving');
    const first = await seedCase(ws.db.knex);
    const second = await seedCase(ws.db.knex);
    // A loose unit whose batch nobody recorded: our profile lets it go, the sandbox refuses it.
    const noBatch = traceCode(PREFIX.unit);
    await ws.db.knex('packs').insert({ code: noBatch, level: 1, parent_code: null, batch: null, expiry: '2028-12-31', source: 'import', updated_at: Date.now() });
    await receive(station.id, 'RK-UP-E2E-1', [first.case, noBatch]);
    await receive(station.id, 'RK-UP-E2E-2', [second.case]);
    const total = 2 * 16 + 1;
    expect(Number(((await ws.db.knex('upload_records').where({ state: 'pending' }).count({ n: '*' }).first()) as { n: number }).n)).toBe(total);

    const page = await loggedInPage(browser, ws);
    await page.goto(`${ws.url}/#/uploads`);
    await page.waitForSelector(`${byTestId('uploads-page')}[data-ready="true"]`, WAIT);
    expect(await tile(page, 'pending')).toBe(String(total));
    expect(await tile(page, 'accepted')).toBe('0');
    const row = page.locator(`${byTestId('backlog-row')}[data-operation="circulation"]`);
    expect(await row.locator(byTestId('backlog-pending')).innerText()).toBe(String(total));
    expect(await row.innerText()).toContain('流通信息上传');
    expect(await row.locator(byTestId('backlog-oldest')).innerText()).toMatch(/\d+ 秒/);
    expect(await page.getAttribute(byTestId('upload-target'), 'data-mode')).toBe('configured');
    expect(await testIdText(page, 'upload-target-url')).toBe(sandbox.url);
    // NHSA is configured here (the sandbox stands in for the platform): no sandbox badge.
    expect(await page.locator(byTestId('sandbox-badge')).count()).toBe(0);

    // From here on the page must follow the drain by itself: a reload would drop this marker.
    await page.evaluate(() => Object.assign(window, { __stillTheSamePage: true }));
    await ws.uploads.worker.start();

    await waitForText(page, 'total-pending', '0', 30_000);
    await waitForText(page, 'total-accepted', String(total - 1), 30_000);
    await waitForText(page, 'total-rejected', '1');
    expect(await page.evaluate(() => (window as unknown as { __stillTheSamePage?: boolean }).__stillTheSamePage)).toBe(true);
    expect(Number(await testIdText(page, 'throughput-minute'))).toBe(total - 1);
    await page.waitForSelector(byTestId('drain-done'), WAIT);
    expect(await page.getAttribute(byTestId('drain'), 'data-percent')).toBe('100');
    expect(await page.locator(`${byTestId('backlog-row')}[data-operation="circulation"] ${byTestId('backlog-accepted')}`).innerText()).toBe(String(total - 1));
    // The records browser (newest first) follows too.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="record-row"][data-state="pending"]').length === 0, undefined, WAIT);
    expect(await page.locator(`${byTestId('record-row')}[data-state="accepted"]`).count()).toBeGreaterThanOrEqual(19);

    const failure = page.locator(`${byTestId('failure')}[data-code="${noBatch}"]`);
    await failure.waitFor(WAIT);
    const message = await failure.locator(byTestId('failure-message')).innerText();
    expect(message).toContain('必填字段 manu_lotnum 为空');
    expect(await failure.innerText()).toContain('流通信息上传');
    expect(sandbox.rows({ queryType: 'circulation' })).toHaveLength(total - 1);

    // The code's ledger, scanned (keyboard wedge) anywhere on the page: queued, sent, refused in words.
    await page.locator('h1').click();
    await typeTimed(page, noBatch, 5, 'Enter');
    await page.waitForSelector(byTestId('upload-ledger'), WAIT);
    expect(await testIdText(page, 'code-uploads-code')).toBe(noBatch);
    const events = await page.locator(`${byTestId('code-uploads')} ${byTestId('ledger-entry')}`).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event')));
    expect(events).toEqual(['queued', 'sent', 'rejected']);
    const refused = await page.locator(`${byTestId('code-uploads')} ${byTestId('ledger-entry')}[data-event="rejected"]`).innerText();
    expect(refused).toContain('平台拒绝');
    expect(refused).toContain('manu_lotnum');
    await screenshot(page, 'uploads-monitor');

    // Skip asks for its reason right under the row; the record leaves the failures list live.
    await failure.locator(byTestId('failure-skip')).click();
    await failure.locator(byTestId('skip-reason')).fill('无批号，已线下报备');
    await failure.locator(byTestId('skip-confirm')).click();
    await page.waitForSelector(byTestId('failures-empty'), WAIT);
    await waitForText(page, 'total-skipped', '1');
    expect(await tile(page, 'rejected')).toBe('0');

    // The records browser, filtered by state.
    await page.click(`${byTestId('records-state')}[data-state="skipped"]`);
    await page.waitForSelector(`${byTestId('record-row')}[data-state="skipped"]`, WAIT);
    expect(await page.locator(byTestId('record-row')).count()).toBe(1);
    expect(await page.locator(byTestId('record-row')).innerText()).toContain(noBatch);

    // The code lookup page carries the same ledger, in words.
    await page.goto(`${ws.url}/#/codes/${first.units[0]}`);
    await page.waitForSelector(`${byTestId('code-upload-ledger')} ${byTestId('ledger-entry')}[data-event="accepted"]`, WAIT);
    const ledger = await page.locator(byTestId('code-upload-ledger')).innerText();
    expect(ledger).toContain('上传记录');
    expect(ledger).toContain('平台已接收');
    expect(ledger).toContain('流通信息上传');
    await page.close();
  }, 60_000);

  it('shows the 沙箱 SANDBOX badge when no NHSA platform is configured', async () => {
    const local = await startTestWorkstation();
    try {
      const page = await loggedInPage(browser, local);
      await page.goto(`${local.url}/#/uploads`);
      await page.waitForSelector(`${byTestId('uploads-page')}[data-ready="true"]`, WAIT);
      const badge = page.locator(byTestId('sandbox-badge'));
      await badge.waitFor(WAIT);
      expect(await badge.innerText()).toBe('沙箱 SANDBOX');
      expect(await badge.getAttribute('title')).toContain('内置沙箱');
      expect(await page.getAttribute(byTestId('upload-target'), 'data-mode')).toBe('sandbox');
      await page.close();
    } finally {
      await local.stop();
    }
  }, 30_000);
});
