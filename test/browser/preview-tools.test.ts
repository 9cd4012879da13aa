import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runInBrowser } from './harness';

interface Result {
  colorBy: string;
  keys: { parallel0: boolean; afterCtrlP: boolean; afterP: boolean };
  narrow: { compact: boolean; hidden: string[]; height: number };
  expanded: { hidden: string[] };
  wide: { compact: boolean; hidden: string[] };
  hot: { node: number; nodeId: number; value: number }[];
  hotButtons: number;
  flown: { focal: number[]; pickText: string; marker?: number[] };
  export: { w0: number; h0: number; x2: [number, number]; fixed: [number, number]; restored: [number, number]; barTitle2x: number; strip2x: { top: number[]; bottom: number[] }; hotInPng: [number, number] };
  labels: [number, number];
  camera: { before: number; after: number; leftChanged: number };
}

test('preview tools: first physical field, compact toolbar, hot spots fly to the node, PNG export at 2× and W × H, side-by-side labels and one camera', { timeout: 120_000 }, async () => {
  const r = await runInBrowser<Result>('test/browser/pages/preview-tools.page.ts');
  assert.equal(r.colorBy, 'T', 'opens coloured by the first physical field, not node_id');
  assert.equal(r.keys.afterCtrlP, r.keys.parallel0, 'Ctrl+P is VS Code\'s (Quick Open), not the view\'s parallel toggle');
  assert.equal(r.keys.afterP, !r.keys.parallel0, "'p' alone toggles parallel projection");
  assert.equal(r.narrow.compact, true, 'below 600 px the toolbar is compact');
  assert.deepEqual(r.narrow.hidden, ['Range', 'Deformation', 'Clipping', 'Compare', 'Export']);
  assert.deepEqual(r.expanded.hidden, [], '"More…" shows the folded groups');
  assert.equal(r.wide.compact, false);
  assert.deepEqual(r.wide.hidden, []);
  assert.equal(r.hotButtons, 5);
  for (let i = 1; i < r.hot.length; i++) assert.ok(r.hot[i].value <= r.hot[i - 1].value);
  assert.ok(r.hot[0].value > 149, `the hottest is at the top of the ball: ${r.hot[0].value}`);
  assert.match(r.flown.pickText, new RegExp(`Node\\s+${r.hot[0].nodeId}\\b`));
  assert.ok(r.flown.marker, 'marker on the hot spot');
  assert.deepEqual(r.flown.focal.map((v) => v.toFixed(4)), r.flown.marker!.map((v) => v.toFixed(4)), 'the view centres on it');
  assert.deepEqual(r.export.x2, [2 * r.export.w0, 2 * r.export.h0]);
  assert.deepEqual(r.export.fixed, [640, 360]);
  assert.deepEqual(r.export.restored, [r.export.w0, r.export.h0], 'the view keeps its size after an export');
  assert.ok(r.export.barTitle2x > 0.005, `the 2× PNG has the legend title: ${r.export.barTitle2x}`);
  const [t, b] = [r.export.strip2x.top, r.export.strip2x.bottom];
  assert.ok(t[0] > 150 && t[2] < 110 && b[2] > 150 && b[0] < 110, `the legend's colour strip sits where the 2× layout puts it (warm top ${t}, cool bottom ${b})`);
  assert.ok(r.export.hotInPng[0] > 0.03, `the saved PNG has the hot-spot legend's caption: ${r.export.hotInPng}`);
  assert.ok(r.labels[0] > 0.01 && r.labels[1] > 0.01, `labels over both halves: ${r.labels}`);
  assert.ok(r.camera.leftChanged > 0.05, `panning and zooming moved the part: ${JSON.stringify(r.camera)}`);
  assert.ok(r.camera.before > 0.9 && r.camera.after > 0.9, `both halves share one camera (silhouettes agree before and after): ${JSON.stringify(r.camera)}`);
});
