import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { compareStats, isIdArray, componentModes, componentLabel, difference, finiteRange, formatNumber, scalarize } from '../../../webview/preview/fieldMath';

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

test('ids and tags are not physical fields (the preview opens coloured by the first physical one)', () => {
  for (const n of ['node_id', 'NodeId', 'vtkOriginalPointIds', 'gmsh:physical', 'element_id', 'material', 'id', 'GlobalNodeId', 'part_id']) assert.ok(isIdArray(n), n);
  for (const n of ['T', 'U', 'S', 'stress', 'von_mises (predicted)', 'displacement', 'temperature', 'DISP']) assert.ok(!isIdArray(n), n);
});

test('scalar bar ticks are round numbers inside the range, labelled in one format', async () => {
  const { niceTicks, tickLabels } = await import('../../../webview/preview/scalarBar');
  assert.deepEqual(niceTicks(0, 200, 5), [0, 50, 100, 150, 200]);
  assert.deepEqual(niceTicks(-0.1, 1.39e-17, 6), [-0.1, -0.08, -0.06, -0.04, -0.02, 0]);
  assert.deepEqual(tickLabels([-0.1, -0.08, -0.06, -0.04, -0.02, 0]), ['-0.10', '-0.08', '-0.06', '-0.04', '-0.02', '0.00']);
  assert.deepEqual(tickLabels([0, 50, 100]), ['0', '50', '100']);
  assert.deepEqual(tickLabels([0, 2e5, 4e5]), ['0', '2.0e+5', '4.0e+5']);
});

test('hot spots: the top surface nodes, each once, by |value| for signed fields', async () => {
  const { topSurfaceNodes } = await import('../../../webview/preview/fieldMath');
  const perNode = [5, 90, 3, 70, 1000, 80];
  // Node 4 (1000) is inside the solid: not on the surface, not listed.
  assert.deepEqual(topSurfaceNodes(perNode, [0, 1, 1, 2, 3, 5], 3), [{ node: 1, value: 90 }, { node: 5, value: 80 }, { node: 3, value: 70 }]);
  assert.deepEqual(topSurfaceNodes([-50, 10, 20], [0, 1, 2], 2), [{ node: 0, value: -50 }, { node: 2, value: 20 }]);
});
