import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runInBrowser } from './harness';

interface Pick { node: number; nodeId: number; coords: number[]; onSurface: boolean; marker?: number[]; values: { name: string; values: number[] }[] }
interface State { pick?: Pick; camera: { focalPoint: number[] }; pixels: { marker: number } }

test('preview focus: marks the node, shows its values, centres the view; inside nodes too; unknown nodes change nothing', { timeout: 120_000 }, async () => {
  const r = await runInBrowser<{ surface: State; surfaceText: string; inside: State; insideText: string; missing: State; reloaded: State; logs: { level: string; message: string }[] }>('test/browser/pages/preview-focus.page.ts');
  // Surface node 47 of the 21 × 11 grid on [0, 2] × [0, 1]: i = 5, j = 2 → (0.5, 0.2, 0).
  const p = r.surface.pick;
  assert.ok(p, 'picked');
  assert.deepEqual([p.node, p.nodeId, p.onSurface], [47, 48, true]);
  assert.deepEqual(p.coords.map((v) => +v.toFixed(5)), [0.5, 0.2, 0], 'the drawn point, not the hint');
  assert.deepEqual(p.values, [{ name: 'T', unit: 'K', association: 'point', values: [470] }]);
  assert.deepEqual(p.marker, p.coords);
  assert.deepEqual(r.surface.camera.focalPoint.map((v) => +v.toFixed(5)), [0.5, 0.2, 0], 'view centred on it');
  assert.ok(r.surface.pixels.marker > 0, 'marker drawn');
  assert.match(r.surfaceText, /Node\s+48/);

  const q = r.inside.pick;
  assert.ok(q);
  assert.deepEqual([q.node, q.nodeId, q.onSurface], [231, 232, false]);
  assert.deepEqual(q.coords, [1, 0.5, -0.25], 'the host\'s coordinates');
  assert.deepEqual(q.values.map((v) => [v.name, v.values]), [['T', [2310]]]);
  assert.deepEqual(r.inside.camera.focalPoint.map((v) => +v.toFixed(5)), [1, 0.5, -0.25]);
  assert.match(r.insideText, /inside the mesh/);

  assert.deepEqual(r.missing.pick, q, 'an unknown node leaves the pick as it was');
  assert.ok(r.logs.some((l) => l.level === 'warn' && /node 501 is not in this mesh/.test(l.message)), JSON.stringify(r.logs));
  assert.equal(r.reloaded.pick, undefined, 'a reload of the file drops the pick (node numbers may have changed)');
  assert.equal(r.reloaded.pixels.marker, 0, 'and its marker');
});
