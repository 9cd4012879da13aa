import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runInBrowser } from './harness';

type Rgb = [number, number, number];
interface Result {
  evalBlocked: boolean;
  hot: Rgb; cold: Rgb; mid40: Rgb; corner: Rgb; banded40: Rgb; grayHot: Rgb;
  clipKept: Rgb; clipGone: Rgb; clipBackground: Rgb; beforeDeform: Rgb; deformedAbove: Rgb; wireCenterSolid: Rgb; lockedMid: Rgb;
  coloring: { title: string; range: [number, number] };
  pick: { node: number; nodeId: number; coords: number[]; values: { name: string; values: number[] }[] };
  png: string;
}

const BG: Rgb = [26, 26, 26]; // theme background 0.1
const near = (a: Rgb, b: Rgb, tol = 6) => a.every((v, i) => Math.abs(v - b[i]) <= tol);
const hot = (c: Rgb) => c[0] > 140 && c[2] < 90;
const cold = (c: Rgb) => c[2] > 140 && c[0] < 110;

test('preview renders a field with vtk.js under a no-eval CSP and reads back the right colours', { timeout: 120_000 }, async () => {
  const r = await runInBrowser<Result>('test/browser/pages/preview-render.page.ts');
  assert.equal(r.evalBlocked, true, 'the page CSP blocks eval, like the webview');
  assert.ok(hot(r.hot), `hot where T is maximal: ${r.hot}`);
  assert.ok(cold(r.cold), `cold where T is minimal: ${r.cold}`);
  assert.ok(near(r.corner, BG), `background where there is no mesh: ${r.corner}`);
  assert.ok(!hot(r.mid40) && !cold(r.mid40), `continuous map is pale at 40%: ${r.mid40}`);
  assert.ok(cold(r.banded40), `two bands: 40% falls in the low band: ${r.banded40}`);
  assert.ok(Math.abs(r.grayHot[0] - r.grayHot[2]) < 8 && r.grayHot[0] > 180, `grayscale preset: ${r.grayHot}`);
  assert.equal(r.coloring.title, 'T [K]');
  assert.deepEqual(r.coloring.range, [0, 100]);
  assert.equal(r.pick.node, 21 * 11 - 1, 'picks the corner node at (2, 1)');
  assert.equal(r.pick.nodeId, 21 * 11);
  assert.deepEqual(r.pick.coords, [2, 1, 0]);
  assert.deepEqual(r.pick.values.map((v) => [v.name, v.values.length]), [['T', 1], ['U', 3]]);
  assert.ok(Math.abs(r.pick.values[0].values[0] - 100) < 1e-3);
  assert.ok(!near(r.clipKept, BG), `clip keeps x < 1: ${r.clipKept}`);
  assert.ok(near(r.clipGone, BG), `clip removes x > 1: ${r.clipGone}`);
  assert.ok(near(r.beforeDeform, BG) && near(r.clipBackground, BG));
  assert.ok(!near(r.deformedAbove, BG), `displaced by +0.5 in y, the plate covers y = 1.3: ${r.deformedAbove}`);
  assert.ok(near(r.wireCenterSolid, BG), `wireframe leaves faces empty: ${r.wireCenterSolid}`);
  assert.ok(hot(r.lockedMid), `locked range [0, 50]: T = 50 is hot: ${r.lockedMid}`);
  assert.equal(r.png, 'data:image/png;base64,');
});
