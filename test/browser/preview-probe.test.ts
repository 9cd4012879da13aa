import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runInBrowser } from './harness';

test('line probe plots the field between two points; a signed field is coloured centred on 0', { timeout: 120_000 }, async () => {
  const r = await runInBrowser<{ ok: boolean; hidden: boolean; profile: { title: string; distance: number[]; value: number[] }; drawn: number; signedRange: [number, number]; parallel: boolean }>('test/browser/pages/preview-probe.page.ts');
  assert.equal(r.ok, true);
  assert.equal(r.hidden, false, 'the plot is in the pane');
  assert.equal(r.profile.title, 'T [K]');
  assert.ok(Math.abs(r.profile.distance.at(-1)! - 1.6) < 1e-6, 'distance runs over the segment');
  assert.ok(Math.abs(r.profile.value[0] - 10) < 1e-4 && Math.abs(r.profile.value.at(-1)! - 90) < 1e-4, `T from 10 to 90: ${r.profile.value[0]} … ${r.profile.value.at(-1)}`);
  for (let i = 1; i < r.profile.value.length; i++) assert.ok(r.profile.value[i] >= r.profile.value[i - 1], `T = 50 x grows along +x: ${r.profile.value.slice(Math.max(0, i - 3), i + 2)}`);
  assert.ok(r.drawn > 0.02, `the chart is drawn: ${r.drawn}`);
  assert.deepEqual(r.signedRange.map((v) => +v.toFixed(4)), [-10, 10], 'dz in [−3, 10] is shown on [−10, 10]');
  assert.equal(r.parallel, true, 'a plate opens orthographic');
});
