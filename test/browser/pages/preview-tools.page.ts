// The preview's tools in the real UI (PreviewApp + vscode-elements + vtk.js): the toolbar folding
// below 600 px, the hot-spot legend flying to a node, PNG export at a chosen size with the legend,
// and the side-by-side labels.
import { report } from '../page';
import { PreviewApp } from '../../../webview/preview/previewApp';
import { sphere, previewShell } from './preview-fixtures';

const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));

/** Share of pixels in a box that differ from `bg` by more than 60 (sum over RGB). */
function inked(c: HTMLCanvasElement, x0: number, y0: number, x1: number, y1: number, bg: number[]): number {
  const d = c.getContext('2d')!.getImageData(Math.floor(x0), Math.floor(y0), Math.ceil(x1 - x0), Math.ceil(y1 - y0)).data;
  let hit = 0;
  for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - bg[0]) + Math.abs(d[i + 1] - bg[1]) + Math.abs(d[i + 2] - bg[2]) > 60) hit++;
  return hit / (d.length / 4);
}

/** Silhouettes of the two halves of a side-by-side capture (every 3rd pixel of each half's centre, clear of the scalar bar, legend and triad): IoU of left vs right, and the left mask. */
function halves(c: HTMLCanvasElement, bg: number[]): { iou: number; left: boolean[] } {
  const w = Math.floor(c.width / 2), y0 = Math.floor(c.height * 0.3), y1 = Math.floor(c.height * 0.7);
  const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
  const ink = (x: number, y: number): boolean => { const i = (y * c.width + x) * 4; return Math.abs(d[i] - bg[0]) + Math.abs(d[i + 1] - bg[1]) + Math.abs(d[i + 2] - bg[2]) > 60; };
  const left: boolean[] = [];
  let both = 0, either = 0;
  for (let y = y0; y < y1; y += 3) {
    for (let x = Math.floor(w * 0.25); x < Math.floor(w * 0.75); x += 3) {
      const a = ink(x, y), b = ink(x + w, y);
      left.push(a);
      if (a && b) both++;
      if (a || b) either++;
    }
  }
  return { iou: both / Math.max(1, either), left };
}

report(async () => {
  await previewShell();
  const root = document.getElementById('app')!;
  root.style.width = '520px';
  const app = new PreviewApp(root, { getState: () => undefined, setState: () => {}, saveImage: () => {}, log: () => {} });
  const s = sphere(2000);
  app.init('ball.vtu', 1000, 'vtu');
  app.surface({ ...s, parseMs: 1 });
  const n = s.volumePoints;
  const T = new Float32Array(n).map((_, i) => 100 + 50 * s.points[i * 3 + 2]);
  app.field({ name: 'node_id', components: 1, values: new Float32Array(n).map((_, i) => i), association: 'point', source: 'file' }, false);
  app.field({ name: 'T', components: 1, values: T, unit: 'K', association: 'point', source: 'file' }, false);
  app.field({ name: 'T_ref', components: 1, values: T.map((v) => v * 1.05), unit: 'K', association: 'point', source: 'reference' }, false);
  app.progressUpdate('done', 1);
  await frame();
  const toolbar = document.querySelector('.toolbar') as HTMLElement;
  const hiddenGroups = () => [...toolbar.querySelectorAll('.group')].filter((g) => getComputedStyle(g).display === 'none').map((g) => g.getAttribute('aria-label'));
  const narrow = { compact: toolbar.classList.contains('compact'), hidden: hiddenGroups(), height: toolbar.getBoundingClientRect().height };
  (document.getElementById('more') as HTMLElement).click();
  await frame();
  const expanded = { hidden: hiddenGroups() };
  root.style.width = '1100px';
  await frame();
  await frame();
  const wide = { compact: toolbar.classList.contains('compact'), hidden: hiddenGroups() };
  const colorBy = app.view.getSettings().colorBy;
  // VS Code's shortcuts pressed in the view (Ctrl+P: Quick Open) must not work its own keys ('p').
  const stageEl = document.querySelector('.stage') as HTMLElement;
  const parallel0 = app.view.getSettings().parallel;
  stageEl.dispatchEvent(new KeyboardEvent('keydown', { key: 'p', ctrlKey: true, bubbles: true }));
  const afterCtrlP = app.view.getSettings().parallel;
  stageEl.dispatchEvent(new KeyboardEvent('keydown', { key: 'p', bubbles: true }));
  const keys = { parallel0, afterCtrlP, afterP: app.view.getSettings().parallel };
  stageEl.dispatchEvent(new KeyboardEvent('keydown', { key: 'p', bubbles: true }));
  // Hot spots: click the first; the view flies there and the pick panel shows the node.
  const buttons = [...document.querySelectorAll('.hotspots button.hot')] as HTMLButtonElement[];
  const hot = app.view.hotSpots(5);
  buttons[0]?.click();
  await frame();
  const flown = { focal: app.view.getCamera().focalPoint, pickText: (document.querySelector('.pick') as HTMLElement).innerText, marker: app.view.markerAt };
  // PNG export: 2× and 640 × 360, with the scalar bar drawn at the export's scale.
  const view = app.view;
  const w0 = view.canvas.width, h0 = view.canvas.height;
  const bg = view.theme.background.map((v) => Math.round(v * 255));
  const x2 = view.captureCanvas('2x');
  const dpr = window.devicePixelRatio || 1;
  const k = 2 * dpr;
  const barTitle2x = inked(x2, x2.width - 140 * k, x2.height * 0.15, x2.width - 8 * k, x2.height * 0.15 + 14 * k, bg);
  // The bar's colour strip in the 2× layout: 18 px wide at 140 px from the right, below two title lines.
  const px = (x: number, y: number) => Array.from(x2.getContext('2d')!.getImageData(Math.round(x), Math.round(y), 1, 1).data.slice(0, 3));
  const y0 = x2.height * 0.15, stripX = x2.width - 140 * k + 9 * k;
  const strip2x = { top: px(stripX, y0 + 38.4 * k + 4 * k), bottom: px(stripX, y0 + x2.height * 0.7 - 12 * k - 4 * k) };
  const fixed = view.captureCanvas('640x360');
  // Saved PNGs carry the hot-spot legend (top left); the plain capture does not.
  const withHot = view.captureCanvas(undefined, true), without = view.captureCanvas();
  const hotInPng = [inked(withHot, 12 * dpr, 10 * dpr, 150 * dpr, 28 * dpr, bg), inked(without, 12 * dpr, 10 * dpr, 150 * dpr, 28 * dpr, bg)];
  const restored = [view.canvas.width, view.canvas.height];
  // Side by side: a label over each half.
  view.set({ compareWith: 'T_ref', compare: 'sideBySide' });
  const side = view.captureCanvas();
  const labels = [inked(side, side.width * 0.15, 6 * dpr, side.width * 0.35, 22 * dpr, bg), inked(side, side.width * 0.65, 6 * dpr, side.width * 0.85, 22 * dpr, bg)];
  // One camera for both halves: moved and zoomed, the part moves in both alike.
  const before = halves(side, bg);
  view.pan(0.25, 0.1);
  view.zoom(1.6);
  const moved = halves(view.captureCanvas(), bg);
  const leftChanged = before.left.filter((v, i) => v !== moved.left[i]).length / before.left.length;
  const camera = { before: before.iou, after: moved.iou, leftChanged };
  return {
    colorBy, keys, narrow, expanded, wide, hot, hotButtons: buttons.length, flown,
    export: { w0, h0, x2: [x2.width, x2.height], fixed: [fixed.width, fixed.height], restored, barTitle2x, strip2x, hotInPng }, labels, camera,
  };
});
