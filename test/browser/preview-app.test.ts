import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runInBrowser } from './harness';

interface State {
  fileName: string; status: string; statusIsError: boolean; firstColoredFrameMs?: number;
  settings: { colorBy: string; parallel: boolean; compare: string; compareWith: string };
  coloring?: { title: string; range: [number, number]; stats?: { maxAbs: number; relativeL2: number } };
  fields: { name: string }[];
  pixels: { mesh: number; hot: number; cold: number };
}

test('preview webview bundle: messages in, coloured view, keyboard, pick, compare, persisted state', { timeout: 120_000 }, async () => {
  const r = await runInBrowser<{ meshBeforeW: number; meshAfterW: number; first: State; focused: boolean; pickText: string; diff: State; statsText: string; side: State; persisted: { fileName: string; settings: { compare: string } }; logs: unknown[] }>('test/browser/pages/preview-app.page.ts');
  assert.deepEqual(r.logs.filter((l) => (l as { level: string }).level !== 'info'), []);
  assert.equal(r.first.statusIsError, false);
  assert.match(r.first.status, /231 nodes · 200 cells/);
  assert.equal(r.first.settings.colorBy, 'T', 'coloured by the first point array');
  assert.equal(r.first.coloring?.title, 'T [K]');
  assert.ok(r.first.pixels.hot > 0.01 && r.first.pixels.cold > 0.01, JSON.stringify(r.first.pixels));
  assert.ok(r.first.pixels.mesh < 0.9);
  assert.ok(r.focused);
  assert.ok(Math.abs(r.meshAfterW - r.meshBeforeW) < 0.01 && r.meshBeforeW > 0.05, `vtk.js 'w' key ignored: ${r.meshBeforeW} → ${r.meshAfterW}`);
  assert.match(r.pickText, /Node/);
  assert.match(r.pickText, /T \[K\]/);
  assert.equal(r.first.settings.parallel, true, 'a plane mesh opens orthographic');
  assert.equal(r.diff.settings.parallel, false, "'p' switched to perspective");
  assert.equal(r.diff.settings.compare, 'difference');
  assert.equal(r.diff.coloring?.title, 'T − T_ref [K]');
  assert.ok(Math.abs((r.diff.coloring?.stats?.maxAbs ?? 0) - 10) < 1e-3, 'max |T − 1.1 T| = 10');
  assert.ok(Math.abs((r.diff.coloring?.stats?.relativeL2 ?? 0) - 0.1 / 1.1) < 1e-4);
  assert.match(r.statsText, /Relative L2/);
  assert.equal(r.side.settings.compare, 'sideBySide');
  assert.ok(r.side.pixels.mesh > r.first.pixels.mesh * 0.6, 'two views drawn');
  assert.equal(r.persisted.fileName, 'plate.vtu');
  assert.equal(r.persisted.settings.compare, 'sideBySide');
});
