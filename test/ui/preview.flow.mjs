// UI flow in code-server, driven like a user with Playwright: open a deck's preview to the side, run
// FLARE: Predict Fields, change the view in the preview (colour map, a picked node), put another tab
// in front of it and come back; the preview must show the same view. Then look at a screenshot of
// the pane: the scalar bar's title and unit lines hold text, and the triad's axis colours are there.
/* global document -- the evaluate() callbacks run in the webview page */
import fs from 'node:fs';
import path from 'node:path';
import { decodePng, share } from './png.mjs';

export async function palette(page, text, row) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 30_000 });
  await page.keyboard.type(text);
  const item = page.locator('.quick-input-list .monaco-list-row', { hasText: row ?? text.replace(/^>?\s*/, '') });
  await item.first().waitFor({ timeout: 30_000 });
  await item.first().click();
}

export async function quickOpen(page, name) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 30_000 });
  await page.keyboard.type(name);
  // The row of exactly this file (plate-01.frd is listed too, and may come first).
  const item = page.locator('.quick-input-list .monaco-list-row', { hasText: name });
  await item.first().waitFor({ timeout: 30_000 });
  await item.first().click();
}

/** The preview's inner webview frame (the one with the toolbar), once it is there. */
export async function previewFrame(page, timeoutMs = 90_000) {
  const t = Date.now();
  while (Date.now() - t < timeoutMs) {
    for (const f of page.frames()) {
      if (!f.url().includes('webview')) continue;
      const has = await f.evaluate(() => !!document.querySelector('#color-by') && !!document.querySelector('.stage canvas')).catch(() => false);
      if (has) return f;
    }
    await page.waitForTimeout(500);
  }
  throw new Error('no preview webview frame');
}

/** Picks a colour preset in the preview's toolbar, as a user would. */
export function setPreset(frame, name) {
  return frame.evaluate((n) => {
    const p = document.getElementById('preset');
    p.value = n;
    p.dispatchEvent(new Event('change'));
  }, name);
}

/** What the preview shows, read from its DOM. */
export function viewState(frame) {
  return frame.evaluate(() => {
    const v = (id) => document.getElementById(id)?.value;
    const pick = document.querySelector('.pick');
    return {
      colorBy: v('color-by'), preset: v('preset'), parallel: document.getElementById('parallel')?.checked,
      pick: pick && !pick.hidden ? (pick.innerText.match(/Node\s+(\d+)/) ?? [])[1] : undefined,
      status: document.querySelector('.status')?.textContent ?? '',
    };
  });
}

export async function previewFlow(page, artifacts, record) {
  await quickOpen(page, 'plate-01.inp');
  await page.waitForTimeout(1500);
  await palette(page, 'FLARE: Open Preview to the Side', 'Open Preview to the Side');
  let frame = await previewFrame(page);
  await palette(page, 'FLARE: Predict Fields', 'Predict Fields');
  const t = Date.now();
  let st = await viewState(frame);
  while (!/von_mises/.test(st.colorBy ?? '') && Date.now() - t < 180_000) {
    await page.waitForTimeout(1000);
    st = await viewState(frame);
  }
  record(`predicts and colours the preview by von Mises (${st.colorBy})`, /von_mises/.test(st.colorBy ?? ''));
  record('a plane deck opens orthographic', st.parallel === true);
  // Change the view like a user: another colour map, and a click on the part picks a node.
  await setPreset(frame, 'Viridis');
  const stage = frame.locator('.stage');
  const box = await stage.boundingBox();
  await stage.click({ position: { x: box.width * 0.15, y: box.height * 0.45 } });
  await page.waitForTimeout(800);
  const before = await viewState(frame);
  record(`the view changed (preset ${before.preset}, node ${before.pick})`, before.preset === 'Viridis' && before.pick !== undefined);
  const shot = path.join(artifacts, 'ui-preview-before-hide.png');
  await page.screenshot({ path: shot });
  // Another tab in front of the preview (same editor group), then back to the preview's tab.
  await quickOpen(page, 'plate-02.inp');
  await page.waitForTimeout(2000);
  const group = page.locator('.editor-group-container.active');
  await group.locator('.tab', { hasText: 'plate-01.inp' }).first().click();
  frame = await previewFrame(page);
  let after = await viewState(frame);
  for (let i = 0; i < 30 && (after.pick === undefined || !/von_mises/.test(after.colorBy ?? '')); i++) {
    await page.waitForTimeout(500);
    after = await viewState(frame);
  }
  record(`hidden and shown, the preview comes back as it was (${JSON.stringify(after)})`, after.colorBy === before.colorBy && after.preset === before.preset && after.pick === before.pick && after.parallel === before.parallel);
  // Look at the pane: the scalar bar (title, unit) at its right edge and the triad at bottom left.
  const el = await page.locator('iframe.webview.ready').last().boundingBox();
  const png = await page.screenshot({ clip: el });
  fs.writeFileSync(path.join(artifacts, 'ui-preview-after-show.png'), png);
  const img = decodePng(png);
  const bgPx = [...img.rgba.subarray((img.width * (img.height - 4) + img.width - 4) * 4, (img.width * (img.height - 4) + img.width - 4) * 4 + 3)];
  const text = (r, g, b) => Math.abs(r - bgPx[0]) + Math.abs(g - bgPx[1]) + Math.abs(b - bgPx[2]) > 150 && Math.abs(r - g) < 40 && Math.abs(g - b) < 40;
  const toolbarH = await frame.evaluate(() => document.querySelector('.toolbar').getBoundingClientRect().height);
  const stageH = img.height - toolbarH, y0 = toolbarH + stageH * 0.15, x0 = img.width - 140;
  const title = share(img, x0, y0, x0 + 132, y0 + 14, text);
  const unit = share(img, x0, y0 + 15, x0 + 132, y0 + 46, text);
  record(`scalar bar title and unit lines hold text (${title.toFixed(3)}, ${unit.toFixed(3)})`, title > 0.03 && unit > 0.02);
  const tx = 46, ty = img.height - 46, R = 42;
  const red = share(img, tx - R, ty - R, tx + R, ty + R, (r, g, b) => r > 180 && g < 110 && b < 110);
  const green = share(img, tx - R, ty - R, tx + R, ty + R, (r, g, b) => g > 140 && r < 120 && b < 120);
  record(`the triad shows its X (red) and Z (green) axes (${red.toFixed(4)}, ${green.toFixed(4)})`, red > 0.003 && green > 0.003);
}
