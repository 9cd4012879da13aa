// Every shipped model (models/*.onnx, exported by models/export.py) must load in the engine, and its
// plan (network on the float64 CPU reference + the CPU tail) must reproduce PyTorch's golden output.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { recognizeFlare } from '../../../extension/core/engine/recognizeFlare';
import { runCpuReference } from '../../../extension/core/engine/cpuReference';
import { evalTail } from '../../../extension/core/engine/graphTail';
import { isRefusal } from '../../../extension/core/engine/plan';
import { readNpyF32 } from './npy';

const MODELS = path.resolve(__dirname, '../../../models');
const shipped = fs.existsSync(MODELS) ? fs.readdirSync(MODELS).filter((f) => f.endsWith('.onnx')).sort() : [];

test('models/ ships at least one FLARE model', () => { assert.ok(shipped.length > 0, 'no models/*.onnx'); });

for (const file of shipped) {
  test(`${file}: recognized (network + v2 export wrapper: load_dir in, stress out)`, () => {
    const p = recognizeFlare(new Uint8Array(fs.readFileSync(path.join(MODELS, file))));
    assert.ok(!isRefusal(p), isRefusal(p) ? `${p.reason} at ${p.at}` : '');
    assert.deepEqual([...(p.tail?.inputs ?? [])].sort(), ['load_dir', 'scale']);
    assert.deepEqual(p.tail?.outputs, ['von_mises', 'displacement', 'stress']);
  });
}

/** Plan (float64 CPU reference network) + CPU tail vs PyTorch's fp32 outputs of a v2 export:
 *  von_mises, displacement and stress per node (y: [1, N, 10]). */
function expectGolden(onnx: string, base: string): void {
  const p = recognizeFlare(new Uint8Array(fs.readFileSync(onnx)));
  assert.ok(!isRefusal(p), isRefusal(p) ? `${p.reason} at ${p.at}` : '');
  assert.deepEqual([...p.tail!.inputs].sort(), ['load_dir', 'scale']);
  assert.deepEqual(p.tail!.outputs, ['von_mises', 'displacement', 'stress']);
  const x = readNpyF32(`${base}.x.npy`), scale = readNpyF32(`${base}.scale.npy`), dir = readNpyF32(`${base}.load_dir.npy`), y = readNpyF32(`${base}.y.npy`);
  const n = x.length / p.config.cin;
  const net = runCpuReference(p, x, n);
  const env = evalTail(p.tail!, new Map([
    [p.outputName, { data: net, dims: [1, n, p.config.cout] }], [p.inputName, { data: Float64Array.from(x), dims: [1, n, p.config.cin] }],
    ['scale', { data: Float64Array.from(scale), dims: [1, 2] }], ['load_dir', { data: Float64Array.from(dir), dims: [1, 3] }],
  ]));
  const vm = env.get('von_mises')!, u = env.get('displacement')!, s = env.get('stress')!;
  assert.deepEqual(vm.dims, [1, n]);
  assert.deepEqual(u.dims, [1, n, 3]);
  assert.deepEqual(s.dims, [1, n, 6]);
  let err = 0, maxRef = 0;
  for (let i = 0; i < n; i++) {
    const got = [vm.data[i], ...u.data.subarray(3 * i, 3 * i + 3), ...s.data.subarray(6 * i, 6 * i + 6)];
    for (let c = 0; c < 10; c++) { err = Math.max(err, Math.abs(got[c] - y[10 * i + c])); maxRef = Math.max(maxRef, Math.abs(y[10 * i + c])); }
  }
  assert.ok(err <= 1e-4 * maxRef, `max abs error ${err} vs max |y| ${maxRef}`);
}

// One shipped model is enough for the slow float64 pass (the one with the smallest golden deck);
// the GPU test covers the others.
const withGolden = shipped.map((f) => ({ f, x: path.join(MODELS, 'golden', f.replace(/\.onnx$/, '') + '.x.npy') })).filter((g) => fs.existsSync(g.x));
const smallest = withGolden.sort((a, b) => fs.statSync(a.x).size - fs.statSync(b.x).size)[0];
if (smallest) {
  test(`${smallest.f}: plan + tail reproduce the PyTorch golden output (CPU float64)`, () => {
    expectGolden(path.join(MODELS, smallest.f), smallest.x.slice(0, -'.x.npy'.length));
  });
}

// The v2 export wrapper (superposition head: MatMul with load_dir, Slice, Mul by 1 - fixed, pad
// MatMuls, Sqrt, Relu) on the tiny random-weight fixtures: plan + CPU tail vs PyTorch.
const FIX = path.resolve(__dirname, '../../fixtures/models-v2');
for (const name of ['plate2d-v2-tiny', 'bracket3d-v2-tiny']) {
  const base = path.join(FIX, name);
  test(`${name}: v2 plan + tail (load_dir, stress) reproduce the PyTorch golden output (CPU float64)`, { skip: fs.existsSync(`${base}.onnx`) ? false : `no ${base}.onnx` }, () => {
    expectGolden(`${base}.onnx`, base);
  });
}
