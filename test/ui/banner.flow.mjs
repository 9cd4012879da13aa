// UI flow in code-server: a deck the model cannot vouch for (a block of C3D8 bricks; the built-in
// bracket3d model knows tetrahedra) is predicted from the palette with its preview open. The
// preview must show the trust banner over the predicted field: looked at in a screenshot of the
// banner (its bottom border in the theme's warning colour, a line of text on it) and of the pane (the
// predicted field still drawn under it). The screenshots are kept as test/artifacts/ui-trust-*.png.
/* global document -- the evaluate() callbacks run in the webview page */
import fs from 'node:fs';
import path from 'node:path';
import { root } from '../../scripts/lib/code-server.mjs';
import { decodePng, share } from './png.mjs';
import { palette, previewFrame, quickOpen } from './preview.flow.mjs';

function bannerState(frame) {
  return frame.evaluate(() => {
    const b = document.querySelector('.trust-banner');
    const r = b?.getBoundingClientRect();
    return {
      shown: !!b && !b.hidden && (r?.height ?? 0) > 0, level: b?.dataset.level, text: b?.innerText.split('\n')[0] ?? '',
      height: r?.height ?? 0, colorBy: document.getElementById('color-by')?.value ?? '',
      toolbarH: document.querySelector('.toolbar')?.getBoundingClientRect().height ?? 0,
      bannerBottom: r?.bottom ?? 0,
      // Top edges of the panels at the top of the view that are shown (hot spots, picked node).
      panels: [...document.querySelectorAll('.stage .hotspots, .stage .pick')].filter((p) => !p.hidden && p.getBoundingClientRect().height > 0)
        .map((p) => ({ cls: p.className, top: p.getBoundingClientRect().top })),
    };
  });
}

/** Puts the out-of-family deck into the workspace; before code-server opens it, so Quick Open lists it. */
export function addBannerDeck(workspace) {
  const deck = path.join(workspace, 'trust', 'block-c3d8.inp');
  fs.mkdirSync(path.dirname(deck), { recursive: true });
  fs.copyFileSync(path.join(root, 'test', 'fixtures', 'trust', 'block-c3d8.inp'), deck);
}

export async function bannerFlow(page, artifacts, record) {
  await palette(page, 'View: Close All Editors', 'Close All Editors');
  await page.waitForTimeout(1500);
  await quickOpen(page, 'block-c3d8.inp');
  await page.waitForTimeout(1500);
  await palette(page, 'FLARE: Open Preview to the Side', 'Open Preview to the Side');
  const frame = await previewFrame(page, 180_000);
  await palette(page, 'FLARE: Predict Fields', 'Predict Fields');
  const t = Date.now();
  let st = await bannerState(frame);
  while (!(st.shown && /predicted/.test(st.colorBy)) && Date.now() - t < 300_000) {
    await page.waitForTimeout(1000);
    st = await bannerState(frame);
  }
  record(`trust banner: shown over the predicted field of an out-of-family deck (${st.level}: ${st.text})`, st.shown && /predicted/.test(st.colorBy) && /not vouched for/.test(st.text));
  // A click on the part picks a node: its panel, like the hot spots, sits below the banner.
  const stage = frame.locator('.stage');
  const box = await stage.boundingBox();
  await stage.click({ position: { x: box.width * 0.4, y: box.height * 0.6 } });
  await page.waitForTimeout(800);
  st = await bannerState(frame);
  const covered = st.panels.filter((p) => p.top < st.bannerBottom - 0.5);
  record(`trust banner: the hot spots and the picked node's panel sit below it (${JSON.stringify(st.panels)}, banner bottom ${st.bannerBottom})`,
    st.panels.length === 2 && covered.length === 0);
  await palette(page, 'Notifications: Clear All Notifications', 'Clear All Notifications');
  await page.mouse.move(5, 500);
  await page.waitForTimeout(1500);
  // The banner itself: the bottom border in the warning (or error) colour, text on its first line.
  const shot = await frame.locator('.trust-banner').screenshot();
  fs.writeFileSync(path.join(artifacts, 'ui-trust-banner.png'), shot);
  const img = decodePng(shot);
  const warm = (r, g, b) => r > 150 && b < 100 && r - b > 100; // #cca700 / #bf8803 (warning), #f14c4c (error)
  const border = share(img, 0, img.height - 2, img.width, img.height, warm);
  const bg = [...img.rgba.subarray((img.width - 3) * 4 + 3 * img.width * 4, (img.width - 3) * 4 + 3 * img.width * 4 + 3)];
  const ink = share(img, 0, 2, Math.min(img.width, 900), Math.min(img.height - 3, 22), (r, g, b) => Math.abs(r - bg[0]) + Math.abs(g - bg[1]) + Math.abs(b - bg[2]) > 150);
  record(`trust banner: its bottom border is in the theme's warning colour (${border.toFixed(2)} of it)`, border > 0.5);
  record(`trust banner: its first line holds text (${ink.toFixed(3)} of the line)`, ink > 0.01);
  // The pane: the predicted field is still drawn below the banner.
  const pane = decodePng(await page.screenshot({ clip: await page.locator('iframe.webview.ready').last().boundingBox() }));
  fs.writeFileSync(path.join(artifacts, 'ui-trust-pane.png'), await page.screenshot({ clip: await page.locator('iframe.webview.ready').last().boundingBox() }));
  const top = st.toolbarH + st.height + 10;
  const colored = share(pane, pane.width * 0.1, top, pane.width - 150, pane.height - 20, (r, g, b) => Math.max(r, g, b) - Math.min(r, g, b) > 80);
  record(`trust banner: the predicted field stays visible under it (${colored.toFixed(3)} of the view coloured)`, colored > 0.02);
}
