import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { errorStats, magnitude, vonMises } from '../../../extension/core/analysis/fieldStats';

test('von Mises of uniaxial stress is the stress; of pure shear is sqrt(3) tau', () => {
  const vm = vonMises([100, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0]);
  assert.ok(Math.abs(vm[0] - 100) < 1e-4);
  assert.ok(Math.abs(vm[1] - 10 * Math.sqrt(3)) < 1e-4);
});

test('hydrostatic stress has zero von Mises', () => {
  assert.ok(vonMises([-50, -50, -50, 0, 0, 0])[0] < 1e-6);
});

test('magnitude of 3-vectors', () => {
  assert.deepEqual(Array.from(magnitude([3, 4, 0, 0, 0, 2], 3)), [5, 2]);
});

test('error statistics: identical fields have zero error; a 10% uniform bias gives 0.1', () => {
  const ref = Float32Array.from({ length: 1000 }, (_, i) => 1 + i);
  assert.equal(errorStats(ref, ref).relativeL2, 0);
  const biased = ref.map((v) => v * 1.1);
  const s = errorStats(biased, ref);
  assert.ok(Math.abs(s.relativeL2 - 0.1) < 1e-6);
  assert.equal(s.maxAbsAt, 999);
  assert.ok(Math.abs(s.p99ValueRelError - 0.1) < 1e-6);
});

test('a NaN in the prediction is an infinite error, not a silent pass', () => {
  const s = errorStats([1, Number.NaN, 3], [1, 2, 3]);
  assert.equal(s.maxAbs, Number.POSITIVE_INFINITY);
  assert.equal(s.maxAbsAt, 1);
});

test('mismatched lengths are refused', () => {
  assert.throws(() => errorStats([1, 2], [1, 2, 3]), /prediction has 2 values, reference 3/);
});
