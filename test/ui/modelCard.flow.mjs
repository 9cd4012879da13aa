// UI flow in code-server: "FLARE: Show Model Card" from the palette opens the readable card page;
// after "Developer: Reload Window" the page comes back with the same model (its webview state and
// the extension's WebviewPanelSerializer), showing the card, not an empty page.
/* global document -- the evaluate() callbacks run in the webview page */
import { palette } from './preview.flow.mjs';

/** The card page's heading, from whichever webview frame holds it. */
async function cardHeading(page, timeoutMs) {
  const t = Date.now();
  while (Date.now() - t < timeoutMs) {
    for (const f of page.frames()) {
      if (!f.url().includes('webview')) continue;
      const h = await f.evaluate(() => (document.querySelector('h2') && document.querySelector('h1')?.innerText) || '').catch(() => '');
      if (h) return h.trim();
    }
    await page.waitForTimeout(500);
  }
  return '';
}

export async function modelCardFlow(page, record) {
  await palette(page, 'View: Close All Editors', 'Close All Editors');
  await palette(page, 'FLARE: Show Model Card', 'Show Model Card');
  const tab = page.locator('.tab', { hasText: 'Model Card:' });
  await tab.first().waitFor({ timeout: 60_000 });
  const label = (await tab.first().innerText()).trim().split('\n')[0];
  const before = await cardHeading(page, 60_000);
  record(`model card: the page opens (${label}; heading ${before})`, /^Model Card: \S+/.test(label) && before.length > 0);
  // Developer: Reload Window, like a user (Enter takes the best match, not "…With Extensions Disabled").
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 30_000 });
  await page.keyboard.type('Developer: Reload Window');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Reload Window' }).first().waitFor({ timeout: 30_000 });
  await Promise.all([page.waitForEvent('load', { timeout: 90_000 }), page.keyboard.press('Enter')]);
  await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
  const back = await page.locator('.tab', { hasText: label }).first().waitFor({ timeout: 90_000 }).then(() => true, () => false);
  const after = back ? await cardHeading(page, 90_000) : '';
  record(`model card: after Developer: Reload Window the page is back with the same model (${back ? label : 'no tab'}; heading ${after})`, back && after === before);
}
