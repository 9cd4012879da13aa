import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { compareStats, componentModes, componentLabel, difference, finiteRange, formatNumber, scalarize } from '../../../webview/preview/fieldMath';

test('scalarize: magnitude, one component and von Mises, optionally through a node map', () => {
  const v = new Float32Array([3, 4, 0, 1, 2, 2]);
  assert.deepEqual(Array.from(scalarize(v, 3, 'magnitude')), [5, 3]);
  assert.deepEqual(Array.from(scalarize(v, 3, 1)), [4, 2]);
  assert.deepEqual(Array.from(scalarize(v, 3, 0, [1, 1, 0])), [1, 1, 3]);
  // Uniaxial stress σ: von Mises = |σ|; pure shear τ: √3 τ.
  assert.equal(scalarize([100, 0, 0, 0, 0, 0], 6, 'vonMises')[0], 100);
  assert.ok(Math.abs(scalarize([0, 0, 0, 10, 0, 0], 6, 'vonMises')[0] - Math.sqrt(3) * 10) < 1e-4);
  // Hydrostatic stress has no deviatoric part.
  assert.equal(scalarize([-5, -5, -5, 0, 0, 0], 6, 'vonMises')[0], 0);
});

test('component choices and labels follow ParaView', () => {
  assert.deepEqual(componentModes(1), [0]);
  assert.deepEqual(componentModes(3), ['magnitude', 0, 1, 2]);
  assert.deepEqual(componentModes(6), ['magnitude', 'vonMises', 0, 1, 2, 3, 4, 5]);
  assert.equal(componentLabel(2, 3), 'Z');
  assert.equal(componentLabel(3, 6), 'XY');
  assert.equal(componentLabel('vonMises', 6), 'von Mises');
});

test('ranges skip NaN and widen flat data; error stats of a difference', () => {
  assert.deepEqual(finiteRange([NaN, 2, -1, Infinity]), [-1, 2]);
  const [lo, hi] = finiteRange([7, 7]);
  assert.ok(lo < 7 && hi > 7);
  assert.deepEqual(finiteRange([]), [0, 1]);
  const diff = difference([1, 2, 3, 4], [1, 2, 3, 2]);
  const stats = compareStats([1, 2, 3, 4], [1, 2, 3, 2], 1, 0);
  assert.deepEqual(Array.from(diff), [0, 0, 0, 2]);
  assert.equal(stats.maxAbs, 2);
  assert.equal(stats.maxAbsAt, 3);
  assert.ok(Math.abs(stats.relativeL2 - 2 / Math.sqrt(18)) < 1e-7);
  assert.equal(formatNumber(123456), '1.23e+5');
  assert.equal(formatNumber(0.5), '0.5');
});
