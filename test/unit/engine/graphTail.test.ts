// Models exported by models/export.py end in a wrapper after the network (y * y_std; relu(y0) * scale0;
// y[1:4] * scale1). The reference graph is extended with that wrapper here (the same ops the
// TorchScript exporter writes), recognized, and the tail's CPU evaluation checked by hand.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeOnnxModel, type OnnxNode, type OnnxTensor } from '../../../extension/core/engine/onnxProto';
import { recognizeFlareModel } from '../../../extension/core/engine/recognizeFlare';
import { evalTail } from '../../../extension/core/engine/graphTail';
import { isRefusal, type FlarePlan } from '../../../extension/core/engine/plan';

const f32 = (dims: number[], v: number[]): OnnxTensor => ({ dims, dataType: 1, floatData: v });
const i64 = (dims: number[], v: number[]): OnnxTensor => ({ dims, dataType: 7, int64Data: v });
const node = (opType: string, input: string[], output: string, attribute: OnnxNode['attribute'] = []): OnnxNode => ({ opType, input, output: [output], name: `/wrap/${output}`, attribute });

function wrappedReference() {
  const m = decodeOnnxModel(new Uint8Array(fs.readFileSync(path.resolve(__dirname, '../../../../shared/reference/flare_small.onnx'))));
  const g = m.graph!;
  g.initializer!.push({ ...f32([1, 1, 4], [2, 3, 0.5, 4]), name: 'y_std' }, { ...i64([], [0]), name: 'i0' }, { ...i64([1], [0]), name: 's0' },
    { ...i64([1], [1]), name: 'e1' }, { ...i64([1], [2]), name: 'e2' }, { ...i64([1], [4]), name: 'e4' }, { ...i64([1], [-1]), name: 'ax' });
  g.node!.push(
    node('Mul', ['y', 'y_std'], 'ys'),
    node('Gather', ['ys', 'i0'], 'g0', [{ name: 'axis', i: 2 }]),
    node('Relu', ['g0'], 'r0'),
    node('Slice', ['scale', 's0', 'e1', 'e1'], 'sc0'),
    node('Mul', ['r0', 'sc0'], 'von_mises'),
    node('Slice', ['ys', 'e1', 'e4', 'e2'], 'u3'),
    node('Slice', ['scale', 'e1', 'e2', 'e1'], 'sc1'),
    node('Unsqueeze', ['sc1', 'ax'], 'sc1u'),
    node('Mul', ['u3', 'sc1u'], 'displacement'),
  );
  g.input!.push({ name: 'scale', type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 1 }, { dimValue: 2 }] } } } });
  g.output = [{ name: 'von_mises' }, { name: 'displacement' }];
  return m;
}

test('recognizes the network inside an export wrapper and keeps the wrapper as a CPU tail', () => {
  const p = recognizeFlareModel(wrappedReference());
  assert.ok(!isRefusal(p), isRefusal(p) ? `${p.reason} at ${p.at}` : '');
  const plan = p as FlarePlan;
  assert.equal(plan.inputName, 'x');
  assert.equal(plan.outputName, 'y');
  assert.deepEqual(plan.tail?.inputs, ['scale']);
  assert.deepEqual(plan.tail?.outputs, ['von_mises', 'displacement']);
  assert.equal(plan.tail?.nodes.length, 9);

  const n = 5;
  const y = Float64Array.from({ length: n * 4 }, (_, i) => Math.sin(i + 1));
  const scale = Float64Array.from([7, 0.25]);
  const env = evalTail(plan.tail!, new Map([['y', { data: y, dims: [1, n, 4] }], ['scale', { data: scale, dims: [1, 2] }]]));
  const vm = env.get('von_mises')!, u = env.get('displacement')!;
  assert.deepEqual(vm.dims, [1, n]);
  assert.deepEqual(u.dims, [1, n, 3]);
  for (let p0 = 0; p0 < n; p0++) {
    assert.ok(Math.abs(vm.data[p0] - Math.max(0, y[p0 * 4] * 2) * 7) < 1e-12);
    const yStd = [2, 3, 0.5, 4];
    for (let c = 0; c < 3; c++) assert.ok(Math.abs(u.data[p0 * 3 + c] - y[p0 * 4 + 1 + c] * yStd[1 + c] * 0.25) < 1e-12);
  }
  assert.ok(vm.data.some((v) => v === 0) && vm.data.some((v) => v > 0), 'relu clips some points and passes others');
});

test('refuses an op after the network that the tail does not support', () => {
  const m = wrappedReference();
  m.graph!.node!.find((x) => x.opType === 'Relu')!.opType = 'Erf';
  const p = recognizeFlareModel(m);
  assert.ok(isRefusal(p));
  assert.match(p.reason, /Erf/);
});

test('tail MatMul: numpy broadcasting of batch axes and rank-1 operands (v2 superposition head)', () => {
  const tail = {
    nodes: [node('MatMul', ['d', 'y'], 'comb'), node('MatMul', ['v2', 'm'], 'vm'), node('MatMul', ['m', 'v'], 'mv')],
    consts: new Map([['m', { data: Float64Array.from([1, 2, 3, 4, 5, 6]), dims: [2, 3] }], ['v2', { data: Float64Array.from([1, 1]), dims: [2] }]]),
  };
  // d [1, 1, 1, 2] @ y [1, 2, 2, 3]: per node n, sum_k d_k y[n, k, :]
  const y = { data: Float64Array.from([1, 2, 3, 10, 20, 30, 4, 5, 6, 40, 50, 60]), dims: [1, 2, 2, 3] };
  const d = { data: Float64Array.from([0.5, 2]), dims: [1, 1, 1, 2] };
  const env = evalTail(tail, new Map([['d', d], ['y', y], ['v', { data: Float64Array.from([1, 1, 1]), dims: [3] }]]));
  assert.deepEqual(env.get('comb')!.dims, [1, 2, 1, 3]);
  assert.deepEqual([...env.get('comb')!.data], [20.5, 41, 61.5, 82, 102.5, 123]);
  // [2] @ [2, 3] -> [3]; [2, 3] @ [3] -> [2]
  assert.deepEqual(env.get('vm')!.dims, [3]);
  assert.deepEqual([...env.get('vm')!.data], [5, 7, 9]);
  assert.deepEqual(env.get('mv')!.dims, [2]);
  assert.deepEqual([...env.get('mv')!.data], [6, 15]);
  assert.throws(() => evalTail({ nodes: [node('MatMul', ['y', 'y'], 'bad')], consts: new Map() }, new Map([['y', y]])), /inner dimensions differ/);
});
