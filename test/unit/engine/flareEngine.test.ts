// The WebGPU engine on a real Dawn device (SwiftShader without a GPU) against PyTorch's output
// for the reference model, and against the float64 CPU reference for random configs.
import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runGpuCases } from './engineGpu';
import type { GpuCase, GpuResult } from './engineGpuWorker';

// ../shared/reference beside the repository (as the browser harness serves it)
const REF = path.resolve(__dirname, '../../../../shared/reference');
const MODELS = path.resolve(__dirname, '../../../models');
const V2 = path.resolve(__dirname, '../../fixtures/models-v2');
// SwiftShader compiles barrier-free kernels much faster; one case covers the staged (barrier) path.
const fast = { stageInWorkgroupMemory: false };

const cases: GpuCase[] = [
  { kind: 'reference', name: 'reference', onnx: `${REF}/flare_small.onnx`, x: `${REF}/x.npy`, y: `${REF}/y.npy`, opts: fast },
  { kind: 'shipped', name: 'shipped bracket3d-elasticity', onnx: `${MODELS}/bracket3d-elasticity.onnx`, golden: `${MODELS}/golden/bracket3d-elasticity`, opts: fast },
  // v2 export (load_dir input, stress output) on the tiny random-weight fixtures
  { kind: 'shipped', name: 'v2 plate2d-v2-tiny', onnx: `${V2}/plate2d-v2-tiny.onnx`, golden: `${V2}/plate2d-v2-tiny`, opts: fast },
  { kind: 'shipped', name: 'v2 bracket3d-v2-tiny', onnx: `${V2}/bracket3d-v2-tiny.onnx`, golden: `${V2}/bracket3d-v2-tiny`, opts: fast },
  { kind: 'random', name: 'C16 H2 M8 B2, odd N', ns: [1, 7, 300], opts: fast,
    config: { cin: 3, cout: 4, channels: 16, heads: 2, latents: 8, blocks: 2, hidden: { inp: 2, kv: 3, mlp: 3, out: 2 }, seed: 11 } },
  // D = 6: q, k, v and z rows are padded to vec4s; cout 3: the output layer's last weight panel is padded
  { kind: 'random', name: 'C12 H2 M5 B2, D=6 and cout 3 (padded vec4 rows and panels)', ns: [7, 300], opts: fast,
    config: { cin: 3, cout: 3, channels: 12, heads: 2, latents: 5, blocks: 2, hidden: { inp: 1, kv: 1, mlp: 1, out: 1 }, seed: 21 } },
  { kind: 'random', name: 'C24 H3 M5 B1, 3 segments', ns: [7, 700], opts: { ...fast, maxSegmentPoints: 256 },
    config: { cin: 5, cout: 1, channels: 24, heads: 3, latents: 5, blocks: 1, hidden: { inp: 1, kv: 1, mlp: 0, out: 1 }, seed: 12 } },
  // small layer count: SwiftShader's compile time of barrier kernels grows fast with code size
  { kind: 'random', name: 'C32 H4 M16 B2, staged in workgroup memory', ns: [129], opts: { stageInWorkgroupMemory: true },
    config: { cin: 2, cout: 3, channels: 32, heads: 4, latents: 16, blocks: 2, hidden: { inp: 0, kv: 0, mlp: 0, out: 0 }, seed: 13 } },
  // 700 floats of workgroup memory: weight layers in 2 tiles of 4 panels, latents in tiles of 10 + 6, encode tiles of 32 points
  { kind: 'random', name: 'C32 H4 M16 B1, staged in several tiles', ns: [300], opts: { stageInWorkgroupMemory: true, maxWorkgroupFloats: 700 },
    config: { cin: 2, cout: 3, channels: 32, heads: 4, latents: 16, blocks: 1, hidden: { inp: 0, kv: 0, mlp: 0, out: 0 }, seed: 15 } },
  { kind: 'random', name: 'C8 H2 M4 B1, N=65537 in 5 segments', ns: [65537], opts: { ...fast, maxSegmentPoints: 16384 },
    config: { cin: 3, cout: 2, channels: 8, heads: 2, latents: 4, blocks: 1, hidden: { inp: 0, kv: 0, mlp: 0, out: 0 }, seed: 14 } },
];

let results = new Map<string, GpuResult>();
let problem: string | undefined;

before(async () => {
  const r = await runGpuCases(cases);
  if (r.results) results = new Map(r.results.map((x) => [x.name, x]));
  problem = r.noDevice ?? r.fatal;
}, { timeout: 900_000 });

function result(name: string): GpuResult {
  assert.equal(problem, undefined, `no engine results: ${problem}`);
  const r = results.get(name);
  assert.ok(r, `no result for ${name}`);
  assert.ok(r.ok, r.error);
  return r;
}

test('reference model: engine output matches PyTorch y.npy to 1e-4 relative (x.npy, N=2000)', (t) => {
  const r = result('reference');
  const run = r.runs![0];
  t.diagnostic(`${r.adapter}: max abs ${run.maxAbs.toExponential(2)}, compile ${r.compileMs?.toFixed(0)} ms, run ${run.ms.toFixed(0)} ms`);
  assert.equal(run.n, 2000);
  assert.ok(run.maxAbs <= 1e-4 * run.maxRef, `max abs ${run.maxAbs} vs max |y| ${run.maxRef}`);
  assert.ok(run.maxAbs < 1e-5, `max abs ${run.maxAbs}`);
});

test('shipped model bracket3d-elasticity: engine (network on GPU + tail) matches PyTorch golden von_mises/displacement to 1e-4 relative', (t) => {
  const r = result('shipped bracket3d-elasticity');
  const run = r.runs![0];
  t.diagnostic(`n=${run.n}: max abs ${run.maxAbs.toExponential(2)} (max |y| ${run.maxRef.toFixed(3)}), run ${run.ms.toFixed(0)} ms`);
  assert.ok(run.maxAbs <= 1e-4 * run.maxRef, `max abs ${run.maxAbs} vs max |y| ${run.maxRef}`);
});

for (const name of ['v2 plate2d-v2-tiny', 'v2 bracket3d-v2-tiny']) {
  test(`${name}: engine (network on GPU + v2 tail with load_dir) matches PyTorch von_mises/displacement/stress to 1e-4 relative`, (t) => {
    const r = result(name);
    const run = r.runs![0];
    t.diagnostic(`n=${run.n}: max abs ${run.maxAbs.toExponential(2)} (max |y| ${run.maxRef.toFixed(3)}), run ${run.ms.toFixed(0)} ms`);
    assert.equal(run.checked, 10 * run.n);
    assert.ok(run.maxAbs <= 1e-4 * run.maxRef, `max abs ${run.maxAbs} vs max |y| ${run.maxRef}`);
  });
}

for (const c of cases.filter((x) => x.kind === 'random')) {
  test(`random plan ${c.name}: engine matches the float64 CPU reference at N = ${(c as { ns: number[] }).ns.join(', ')}`, (t) => {
    const r = result(c.name);
    for (const run of r.runs!) {
      t.diagnostic(`n=${run.n}: max abs ${run.maxAbs.toExponential(2)} (max |ref| ${run.maxRef.toFixed(2)}), run ${run.ms.toFixed(0)} ms; compile ${r.compileMs?.toFixed(0)} ms`);
      assert.ok(run.checked > 0, `n=${run.n}: nothing compared`);
      assert.ok(run.maxAbs <= 1e-4 * Math.max(1, run.maxRef), `n=${run.n}: max abs ${run.maxAbs} vs max |ref| ${run.maxRef}`);
      // memory is O(N·C) and engineBufferBytes predicts it (weights and uniforms aside)
      assert.ok(run.estimate! <= run.bytes! && run.bytes! <= run.estimate! + 4 * 2 ** 20, `n=${run.n}: ${run.bytes} B held, ${run.estimate} B estimated`);
    }
  });
}
