import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { compareWithReference, matchNodes, referenceFields } from '../../../extension/core/analysis/compareFields';
import type { Mesh } from '../../../extension/core/mesh/types';

function mesh(ids: number[], pointData: Mesh['pointData'] = [], type: 'triangle' | 'tetra' = 'tetra'): Mesh {
  return {
    points: new Float64Array(ids.length * 3), dimension: 3, pointIds: Int32Array.from(ids),
    cells: [{ type, connectivity: new Int32Array(type === 'tetra' ? [0, 1, 2, 3] : [0, 1, 2]) }],
    pointData, cellData: [[]], nodeSets: {}, elementSets: {}, source: { file: 'x', format: 'test' },
  };
}

test('nodes are matched by their numbers, not their order', () => {
  const map = matchNodes(mesh([10, 20, 30, 40]), mesh([40, 30, 20, 10]));
  assert.deepEqual(Array.from(map as Int32Array), [3, 2, 1, 0]);
});

test('a result without node numbers must have the same node count', () => {
  const a = mesh([1, 2, 3, 4]);
  const b = { ...mesh([1, 2, 3]), pointIds: undefined };
  assert.match(String(matchNodes({ ...a, pointIds: undefined }, b)), /3 nodes and the deck 4/);
});

test('plane-stress decks get von Mises with SZZ = 0 from a CalculiX STRESS block', () => {
  const stress = { name: 'STRESS', components: 6, values: new Float64Array([100, 0, 30, 0, 0, 0]) };
  assert.ok(Math.abs(referenceFields(mesh([1], [stress]), true).vonMises![0] - 100) < 1e-4);
  assert.ok(Math.abs(referenceFields(mesh([1], [stress]), false).vonMises![0] - Math.sqrt(0.5 * (100 ** 2 + 30 ** 2 + 70 ** 2))) < 1e-3);
});

test('a prediction equal to the result has zero error; one twice too big has relative L2 1', () => {
  const vm = [1, 2, 3, 4];
  const result = mesh([4, 3, 2, 1], [{ name: 'von_mises', components: 1, values: new Float64Array([4, 3, 2, 1]) }, { name: 'DISP', components: 3, values: new Float64Array(12).fill(1) }]);
  const deck = mesh([1, 2, 3, 4]);
  const same = compareWithReference(deck, [{ name: 'von_mises', components: 1, unit: 'MPa', values: Float32Array.from(vm) }], result);
  assert.ok(same.ok);
  assert.equal(same.comparisons[0].stats.relativeL2, 0);
  const twice = compareWithReference(deck, [{ name: 'von_mises', components: 1, unit: 'MPa', values: Float32Array.from(vm, (v) => 2 * v) }, { name: 'displacement', components: 3, unit: 'mm', values: new Float32Array(12).fill(1) }], result);
  assert.ok(twice.ok);
  assert.ok(Math.abs(twice.comparisons[0].stats.relativeL2 - 1) < 1e-6);
  assert.equal(twice.comparisons[1].magnitudeStats!.relativeL2, 0);
});

test('a result without displacement or stress is a clear error', () => {
  const r = compareWithReference(mesh([1, 2, 3, 4]), [{ name: 'von_mises', components: 1, unit: 'MPa', values: new Float32Array(4) }], mesh([1, 2, 3, 4]));
  assert.equal(r.ok, false);
});
