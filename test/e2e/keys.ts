import type { Page } from 'playwright-core';

/**
 * Types real (trusted) key presses with chosen event timestamps through the DevTools protocol.
 * `page.keyboard.type` stamps each key when its round trip arrives, so on a loaded machine a
 * "scanner burst" can stretch past the wedge detector's gap; explicit timestamps keep the test
 * about timing rules, not about how busy the CI runner is.
 */
export async function typeTimed(page: Page, keys: string, gapMs: number, suffix?: 'Enter'): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const start = Date.now() / 1000;
  const all = [...keys, ...(suffix ? [suffix] : [])];
  try {
    // Queued without waiting for each reply: CDP delivers them in order, back to back, so a loaded
    // machine cannot open wall-clock gaps between the keys of one burst (the page's shortcut
    // timers run on wall-clock time, not on event timestamps).
    const sent: Array<Promise<unknown>> = [];
    for (const [i, key] of all.entries()) {
      const timestamp = start + (i * gapMs) / 1000;
      const enter = key === 'Enter';
      sent.push(
        cdp.send('Input.dispatchKeyEvent', {
          type: 'keyDown',
          key,
          code: enter ? 'Enter' : undefined,
          text: enter ? '\r' : key,
          windowsVirtualKeyCode: enter ? 13 : key.toUpperCase().charCodeAt(0),
          timestamp,
        }),
        cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key, timestamp: timestamp + 0.001 }),
      );
    }
    await Promise.all(sent);
  } finally {
    await cdp.detach();
  }
}
