// UI flow in code-server for the README's first picture: the shipped 3D bracket deck
// (examples/bracket3d/bracket-01.inp) opened in the preview to the side, FLARE: Predict Fields run
// from the palette with the built-in bracket3d model (in the webview: WebAssembly here), and the
// predicted von Mises field shown with its scalar bar (title, unit), the triad and the hot-spot
// legend. Checks what the DOM and the pixels can tell, then saves the editor area as a screenshot.
/* global document, getComputedStyle -- the evaluate() callbacks run in the webview page */
import fs from 'node:fs';
import path from 'node:path';
import { decodePng, share } from './png.mjs';
import { palette, previewFrame, quickOpen, viewState } from './preview.flow.mjs';

/** What the preview shows beyond viewState: the scalar bar's title, the hot-spot rows, the toolbar's layout. */
function legendState(frame) {
  return frame.evaluate(() => {
    const hot = document.querySelector('.stage .hotspots');
    const shown = !!hot && !hot.hidden && getComputedStyle(hot).display !== 'none' && hot.getBoundingClientRect().width > 0;
    const rows = hot ? [...hot.querySelectorAll('tr')].map((tr) => tr.innerText.replace(/\s+/g, ' ').trim()) : [];
    return {
      barTitle: document.querySelector('.stage canvas.scalar-bar')?.dataset.title ?? '',
      hotShown: shown, hotRows: rows, compact: document.querySelector('.toolbar')?.classList.contains('compact') ?? false,
    };
  });
}

export async function bracketFlow(page, artifacts, record) {
  // A clean editor area, wide enough that the preview's toolbar is not compact (the compact toolbar
  // hides the hot spots) and the part has room next to the deck: a larger window, no side bar.
  await page.setViewportSize({ width: 1600, height: 1000 });
  await palette(page, 'View: Close All Editors', 'Close All Editors');
  if (await page.locator('.part.sidebar').isVisible()) await palette(page, 'View: Toggle Primary Side Bar Visibility', 'Toggle Primary Side Bar Visibility');
  await page.waitForTimeout(1500);
  await quickOpen(page, 'bracket-01.inp');
  await page.waitForTimeout(1500);
  await palette(page, 'FLARE: Open Preview to the Side', 'Open Preview to the Side');
  const frame = await previewFrame(page, 180_000);
  await palette(page, 'FLARE: Predict Fields', 'Predict Fields');
  const t = Date.now();
  let st = await viewState(frame);
  let legend = await legendState(frame);
  while (!(st.colorBy === 'von_mises (predicted)' && /\[MPa\]/.test(legend.barTitle) && legend.hotRows.length > 0) && Date.now() - t < 300_000) {
    await page.waitForTimeout(1000);
    st = await viewState(frame);
    legend = await legendState(frame);
  }
  const secs = ((Date.now() - t) / 1000).toFixed(0);
  record(`bracket3d: predicts and colours the preview by the predicted von Mises field (${st.colorBy}, ${secs} s)`, st.colorBy === 'von_mises (predicted)');
  record(`bracket3d: the scalar bar's title names the field and its unit (${legend.barTitle})`, /von_mises/.test(legend.barTitle) && /\[MPa\]/.test(legend.barTitle));
  record(`bracket3d: the hot-spot legend is shown with its nodes (${legend.hotRows.join('; ')})`, legend.hotShown && !legend.compact && legend.hotRows.length > 0 && legend.hotRows.every((r) => /node \d+.*MPa/.test(r)));
  record('bracket3d: a solid opens in perspective', st.parallel === false);
  // No toast over the pane; the part fitted to the pane as laid out now and one step back, clear of the
  // scalar bar (keys F and −, like a user); let the last frame settle, then look at the pane:
  // coloured part, scalar bar at its right, triad at bottom left.
  await palette(page, 'Notifications: Clear All Notifications', 'Clear All Notifications');
  await frame.locator('.stage').focus();
  await page.keyboard.press('f');
  await page.keyboard.press('-');
  await page.mouse.move(5, 500);
  await page.waitForTimeout(1500);
  const pane = decodePng(await page.screenshot({ clip: await page.locator('iframe.webview.ready').last().boundingBox() }));
  const toolbarH = await frame.evaluate(() => document.querySelector('.toolbar').getBoundingClientRect().height);
  const colored = share(pane, pane.width * 0.1, toolbarH + 20, pane.width - 150, pane.height - 20, (r, g, b) => Math.max(r, g, b) - Math.min(r, g, b) > 80);
  record(`bracket3d: the part is drawn in colours (${colored.toFixed(3)} of the view)`, colored > 0.02);
  const tx = 46, ty = pane.height - 46, R = 42;
  const red = share(pane, tx - R, ty - R, tx + R, ty + R, (r, g, b) => r > 180 && g < 110 && b < 110);
  const green = share(pane, tx - R, ty - R, tx + R, ty + R, (r, g, b) => g > 140 && r < 120 && b < 120);
  record(`bracket3d: the triad shows its X (red) and Z (green) axes (${red.toFixed(4)}, ${green.toFixed(4)})`, red > 0.003 && green > 0.003);
  // The editor area (deck and preview side by side) for the README.
  const editor = await page.locator('.part.editor').boundingBox();
  const shot = path.join(artifacts, 'ui-predict-bracket3d.png');
  await page.screenshot({ path: shot, clip: editor });
  record(`bracket3d: saves the editor area as ${path.basename(shot)}`, fs.statSync(shot).size > 10_000);
}
