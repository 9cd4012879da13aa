// The Compare command and the compare view report the same numbers for the same pair: both go
// through extension/core/analysis (pairedErrorStats). The pair has what real decks have: a node the
// result lacks (NaN reference) and a node no element uses (NaN prediction).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { compareWithReference } from '../../../extension/core/analysis/compareFields';
import { compareStats } from '../../../webview/preview/fieldMath';
import type { Mesh } from '../../../extension/core/mesh/types';

function mesh(ids: number[], pointData: Mesh['pointData'] = []): Mesh {
  return {
    points: new Float64Array(ids.length * 3), dimension: 3, pointIds: Int32Array.from(ids),
    cells: [{ type: 'tetra', connectivity: new Int32Array([0, 1, 2, 3]) }],
    pointData, cellData: [[]], nodeSets: {}, elementSets: {}, source: { file: 'x', format: 'test' },
  };
}

test('compare view statistics equal the Compare command\'s on the same prediction and result', () => {
  // Deck nodes 1..6; the result has no node 6; node 5 is in no element (the prediction is NaN there).
  const deck = mesh([1, 2, 3, 4, 5, 6]);
  const refVm = [100, 80, 60, 40, 20];
  const refU = [1, 0, 0, 0, 2, 0, 0, 0, 3, 1, 1, 1, 0, 0, 5];
  const result = mesh([1, 2, 3, 4, 5], [
    { name: 'von_mises', components: 1, values: Float64Array.from(refVm) },
    { name: 'DISP', components: 3, values: Float64Array.from(refU) },
  ]);
  const vm = Float32Array.from([130, 60, 75, 30, NaN, 55]);
  const u = Float32Array.from([1.2, 0, 0, 0, 1.5, 0, 0, 0, 3.9, 0.8, 1.3, 1, NaN, NaN, NaN, 1, 1, 1]);
  const cmd = compareWithReference(deck, [{ name: 'von_mises', components: 1, unit: 'MPa', values: vm }, { name: 'displacement', components: 3, unit: 'mm', values: u }], result);
  assert.ok(cmd.ok);
  const [cvm, cu] = cmd.comparisons;
  assert.equal(cvm.stats.count, 4);
  // What the preview receives: the prediction and the command's reference array (deck order, NaN where missing).
  const view = compareStats(vm, cvm.reference, 1, 0);
  assert.equal(view.count, cvm.stats.count);
  assert.ok(Math.abs(view.relativeL2 - cvm.stats.relativeL2) < 1e-9, `von Mises: view ${view.relativeL2}, command ${cvm.stats.relativeL2}`);
  assert.ok(Math.abs(view.maxAbs - cvm.stats.maxAbs) < 1e-9);
  const headline = cu.magnitudeStats!;
  const viewU = compareStats(u, cu.reference, 3, 'magnitude');
  assert.ok(Math.abs(viewU.relativeL2 - headline.relativeL2) < 1e-9, `|u|: view ${viewU.relativeL2}, command ${headline.relativeL2}`);
  assert.ok(Number.isFinite(viewU.relativeL2) && viewU.relativeL2 > 0);
});
