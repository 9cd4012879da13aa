import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { recognizeFlare, recognizeFlareModel } from '../../../extension/core/engine/recognizeFlare';
import { decodeOnnxModel } from '../../../extension/core/engine/onnxProto';
import { runCpuReference } from '../../../extension/core/engine/cpuReference';
import { isRefusal, type FlarePlan } from '../../../extension/core/engine/plan';
import { readNpyF32 } from './npy';

// ../shared/reference beside the repository (as the browser harness serves it)
const REF = path.resolve(__dirname, '../../../../shared/reference');
const refBytes = (): Uint8Array => new Uint8Array(fs.readFileSync(path.join(REF, 'flare_small.onnx')));

/** Replaces the first NodeProto op_type string `from` (protobuf field 4, same length) by `to`. */
function patchOpType(bytes: Uint8Array, from: string, to: string): Uint8Array {
  assert.equal(from.length, to.length);
  const needle = [0x22, from.length, ...Buffer.from(from)];
  const out = bytes.slice();
  for (let i = 0; i < out.length - needle.length; i++) {
    if (needle.every((b, k) => out[i + k] === b)) { out.set(Buffer.from(to), i + 2); return out; }
  }
  throw new Error(`op ${from} not found`);
}

test('decodes the ONNX protobuf of the reference model', () => {
  const m = decodeOnnxModel(refBytes());
  assert.equal(m.opsetImport?.[0]?.version, 17);
  assert.equal(m.graph?.input?.[0]?.name, 'x');
  assert.equal(m.graph?.output?.[0]?.name, 'y');
  const ops = new Set(m.graph?.node?.map((n) => n.opType));
  for (const op of ['MatMul', 'Softmax', 'LayerNormalization', 'Tanh']) assert.ok(ops.has(op), op);
  assert.ok((m.graph?.initializer?.length ?? 0) > 100);
});

test('recognizes the reference FLARE model (C64 B4 H8 M64) and its structure', () => {
  const plan = recognizeFlare(refBytes());
  assert.ok(!isRefusal(plan), isRefusal(plan) ? plan.reason : '');
  const p = plan as FlarePlan;
  assert.deepEqual({ ...p.config }, { cin: 3, cout: 4, channels: 64, heads: 8, latents: 64, blocks: 4, mlpDepths: { inp: 4, k: 5, v: 5, mlp: 5, out: 4 } });
  // ResidualMLP flags: inp has no input residual (3→64), out has no output residual (64→4)
  assert.deepEqual(p.inp.map((l) => [l.gelu, l.residual]), [[true, false], [true, true], [true, true], [false, true]]);
  assert.deepEqual(p.out.map((l) => [l.gelu, l.residual]), [[true, true], [true, true], [true, true], [false, false]]);
  assert.equal(p.blocks[0].mixer.encScale, 1);
  assert.equal(p.blocks[0].mixer.decScale, 1);
  const params = [...p.inp, ...p.out, ...p.blocks.flatMap((b) => [...b.mixer.k, ...b.mixer.v, ...b.mlp, { linear: b.mixer.o }])]
    .reduce((a, l) => a + l.linear.w.length + (l.linear.b?.length ?? 0), 0)
    + p.blocks.reduce((a, b) => a + b.mixer.q.length + 4 * b.ln1.dim, 0) + 2 * p.lnOut.dim;
  // torch: inp 12,736 + 4 blocks × 70,912 + final LayerNorm 128 + out 12,740
  assert.equal(params, 309_252);
});

test('the recognized plan reproduces PyTorch on x.npy (float64 CPU reference)', () => {
  const p = recognizeFlare(refBytes()) as FlarePlan;
  const x = readNpyF32(path.join(REF, 'x.npy')), y = readNpyF32(path.join(REF, 'y.npy'));
  const out = runCpuReference(p, x, x.length / 3);
  let err = 0;
  for (let i = 0; i < y.length; i++) err = Math.max(err, Math.abs(out[i] - y[i]));
  assert.ok(err < 1e-5, `max abs error ${err}`);
});

test('refuses a graph whose activation is not tanh-GELU, naming the node', () => {
  const r = recognizeFlare(patchOpType(refBytes(), 'Tanh', 'Sinh'));
  assert.ok(isRefusal(r));
  assert.match(r.reason, /activation|linear|expected/);
  assert.ok(r.at, 'refusal names where matching stopped');
});

test('refuses a graph whose attention is not softmax attention', () => {
  const r = recognizeFlare(patchOpType(refBytes(), 'Softmax', 'Sigmoid'));
  assert.ok(isRefusal(r));
  assert.match(r.reason, /attention|Sigmoid/);
});

test('refuses bytes that are not ONNX', () => {
  const r = recognizeFlare(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]));
  assert.ok(isRefusal(r));
  assert.match(r.reason, /ONNX/);
  const t = recognizeFlare(refBytes().subarray(0, 5000));
  assert.ok(isRefusal(t));
});

test('refuses a node without outputs with a reason, not an internal error (fuzz finding M1)', () => {
  const m = decodeOnnxModel(refBytes());
  m.graph!.node![3].output = [];
  const r = recognizeFlareModel(m);
  assert.ok(isRefusal(r));
  assert.match(r.reason, /has no output/);
  assert.doesNotMatch(r.reason, /internal error/);
});

test('refuses a graph with a cycle instead of walking it forever (fuzz finding M2)', () => {
  const m = decodeOnnxModel(refBytes());
  // the node reading the graph input now writes it too: x -> MatMul -> x
  const first = m.graph!.node!.find((n) => n.input?.includes('x'))!;
  first.output = ['x'];
  const r = recognizeFlareModel(m);
  assert.ok(isRefusal(r));
  assert.match(r.reason, /assigns x a second time/);
});

test('refuses nodes out of topological order, naming the node', () => {
  const m = decodeOnnxModel(refBytes());
  m.graph!.node!.reverse();
  const r = recognizeFlareModel(m);
  assert.ok(isRefusal(r));
  assert.match(r.reason, /before any node produces it/);
  assert.ok(r.at);
});
