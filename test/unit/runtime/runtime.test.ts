import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createNodeRuntime } from '../../../extension/core/runtime/node';
import { openModel } from '../../../extension/core/runtime/model';
import { readNpy, toFloat32 } from '../../../extension/core/runtime/npy';
import { webgpuMaxPoints, wasmMaxPoints } from '../../../extension/core/runtime/limits';
import type { Progress } from '../../../extension/core/runtime/backend';

const REF = path.resolve(__dirname, '../../../../shared/reference');

function load(name: string): Float32Array {
  const r = readNpy(fs.readFileSync(path.join(REF, name)), name);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return toFloat32(r.array);
}

const opened = openModel(fs.readFileSync(path.join(REF, 'flare_small.onnx')), 'flare_small');
assert.ok(opened.ok);
const model = opened.model.handle;

test('attention shape is read from the graph (reference model: 8 heads x 64 latents)', () => {
  assert.deepEqual(model.attention, { heads: 8, latents: 64, channels: 64 });
  assert.equal(opened.ok && opened.model.card, undefined, 'the reference model has no card');
});

test('size limits follow the adapter and the model', () => {
  const swiftshader = { vendor: 'google', architecture: 'swiftshader', description: '', isFallbackAdapter: true, maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30 };
  // 1 GiB / (8 heads * 64 latents * 4 bytes) = 524288 points.
  assert.equal(webgpuMaxPoints(model, swiftshader), 524288);
  assert.equal(webgpuMaxPoints(model, { ...swiftshader, maxStorageBufferBindingSize: 2 ** 31, maxBufferSize: 2 ** 40 }), 1048576);
  assert.equal(webgpuMaxPoints(model, { ...swiftshader, maxBufferSize: 2 ** 28 }), 131072);
  assert.equal(webgpuMaxPoints({ ...model, attention: { heads: 8, latents: 128 } }, swiftshader), 262144);
  assert.ok(wasmMaxPoints(model) > 100_000 && wasmMaxPoints(model) < 1_000_000);
});

test('wasm in Node reproduces the PyTorch output to 1e-5, with progress, cached session, supersession and limits', async () => {
  const rt = await createNodeRuntime({ backends: ['wasm'], wasmThreads: 1 });
  try {
    const x = load('x.npy');
    const y = load('y.npy');
    const progress: Progress[] = [];
    const r = await rt.run({ model, inputs: { x: { data: x, dims: [1, 2000, 3] } }, backend: 'auto', onProgress: (p) => progress.push(p) });
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    assert.equal(r.backend, 'wasm');
    assert.deepEqual(r.outputs.y.dims, [1, 2000, 4]);
    let maxAbs = 0;
    for (let i = 0; i < y.length; i++) maxAbs = Math.max(maxAbs, Math.abs(r.outputs.y.data[i] - y[i]));
    assert.ok(maxAbs < 1e-5, `max abs error ${maxAbs}`);
    assert.deepEqual(progress.map((p) => p.stage), ['queued', 'session', 'run', 'done']);
    assert.equal(progress.at(-1)?.fraction, 1);

    // A newer request on the same channel supersedes the older one; the session is reused.
    const small = { x: { data: x.subarray(0, 64 * 3), dims: [1, 64, 3] } };
    const first = rt.run({ model, inputs: small, channel: 'doc', backend: 'wasm' });
    const second = rt.run({ model, inputs: small, channel: 'doc', backend: 'wasm' });
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.ok, false);
    assert.equal(!a.ok && a.error.code, 'cancelled');
    assert.ok(b.ok, b.ok ? '' : b.error.message);
    assert.ok(b.sessionMs < r.sessionMs, 'session came from the cache');
    assert.deepEqual(b.outputs.y.dims, [1, 64, 4]);
    assert.ok(b.outputs.y.data.every(Number.isFinite));

    // An aborted caller gets 'cancelled', never a rejection.
    const ac = new AbortController();
    ac.abort();
    const c = await rt.run({ model, inputs: small, signal: ac.signal });
    assert.equal(!c.ok && c.error.code, 'cancelled');

    // Too large: refused with a message naming the limit, before any allocation inside ORT.
    const limit = wasmMaxPoints(model);
    const big = new Float32Array((limit + 1) * 3);
    const d = await rt.run({ model, inputs: { x: { data: big, dims: [1, limit + 1, 3] } }, backend: 'wasm' });
    assert.equal(d.ok, false);
    assert.equal(!d.ok && d.error.code, 'too-large');
    assert.match(!d.ok ? d.error.message : '', new RegExp(`limit of ${limit} points.*4 GiB`));

    // Malformed inputs are values too.
    const e = await rt.run({ model, inputs: { x: { data: new Float32Array(5), dims: [1, 2, 3] } } });
    assert.equal(!e.ok && e.error.code, 'bad-input');
    const f = await rt.run({ model, inputs: small, backend: 'engine' });
    assert.equal(!f.ok && f.error.code, 'unavailable');
  } finally {
    await rt.dispose();
  }
});

test('auto prefers onnxruntime-node over wasm in Node, and refuses N beyond every limit', async () => {
  const rt = await createNodeRuntime({ backends: ['wasm', 'node-cpu'], wasmThreads: 1 });
  try {
    const x = load('x.npy');
    const r = await rt.run({ model, inputs: { x: { data: x.subarray(0, 64 * 3), dims: [1, 64, 3] } } });
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    assert.equal(r.backend, 'node-cpu');
    const cpu = rt.get('node-cpu');
    assert.ok(cpu);
    const n = cpu.maxPoints(model) + 1;
    const big = await rt.run({ model, inputs: { x: { data: new Float32Array(n * 3), dims: [1, n, 3] } } });
    assert.equal(big.ok, false);
    assert.equal(!big.ok && big.error.code, 'too-large');
    assert.match(!big.ok ? big.error.message : '', /node-cpu skipped: \d+ points exceed its limit.*wasm skipped/);
  } finally {
    await rt.dispose();
  }
});
