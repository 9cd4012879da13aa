// The runtime's `engine` back end on a real Dawn device (SwiftShader without a GPU), in a child
// process (engineRuntimeWorker.ts): parity with PyTorch and with the ONNX (wasm) path on the
// reference model and every shipped model, odd N, segments, refusals as values, cancellation,
// device loss, and the auto rule (hand-over past the limits; not preferred on a software adapter).
import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dawnEnv } from '../engine/engineGpu';
import type { Outcome, Parity, WorkerOutput } from './engineRuntimeWorker';
import { openModel } from '../../../extension/core/runtime/model';
import { recognizeFlare } from '../../../extension/core/engine/recognizeFlare';
import { engineBufferBytes } from '../../../extension/core/engine/flareEngine';
import { isRefusal } from '../../../extension/core/engine/plan';
import { ENGINE_MEMORY_BUDGET, engineMaxPoints } from '../../../extension/core/runtime/engineBackend';
import { wasmMaxPoints, webgpuMaxPoints } from '../../../extension/core/runtime/limits';

const REF = path.resolve(__dirname, '../../../../shared/reference');
const MODELS = path.resolve(__dirname, '../../../models');
const TOL = 1e-4;

let results: Record<string, Outcome> = {};
let problem: string | undefined;

before(async () => {
  const out = await new Promise<WorkerOutput>((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'engineRuntimeWorker.ts')], { env: dawnEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let so = '', se = '';
    p.stdout.on('data', (b: Buffer) => { so += b.toString(); });
    p.stderr.on('data', (b: Buffer) => { se += b.toString(); });
    const timer = setTimeout(() => p.kill('SIGKILL'), 840_000);
    p.on('close', (code) => {
      clearTimeout(timer);
      try { resolve(JSON.parse(so.trim().split('\n').pop() ?? '') as WorkerOutput); } catch { resolve({ fatal: `worker exited ${code}: ${se.slice(-2000)}` }); }
    });
  });
  if ('results' in out) results = out.results;
  else problem = 'noDevice' in out ? `no device: ${out.noDevice}` : out.fatal;
}, { timeout: 900_000 });

function get(name: string): Outcome {
  assert.equal(problem, undefined, `no engine results: ${problem}`);
  const r = results[name];
  assert.ok(r, `no result for ${name}`);
  return r;
}

function ran(name: string): Outcome {
  const r = get(name);
  assert.ok(r.ok, `${name}: ${r.code}: ${r.message}`);
  return r;
}

function within(what: string, p: Record<string, Parity> | undefined, t: { diagnostic(m: string): void }): void {
  assert.ok(p && Object.keys(p).length > 0, `${what}: nothing compared`);
  for (const [name, v] of Object.entries(p)) {
    t.diagnostic(`${what} ${name}: max abs ${v.maxAbs.toExponential(2)}, max |ref| ${v.maxRef.toPrecision(4)}, rel ${(v.maxAbs / v.maxRef).toExponential(2)}`);
    assert.ok(v.maxRef > 0, `${what} ${name}: reference is all zeros`);
    assert.ok(v.maxAbs <= TOL * v.maxRef, `${what} ${name}: max abs ${v.maxAbs} vs max |ref| ${v.maxRef}`);
  }
}

test('engine limit: its buffers fit the budget at maxPoints and not one point more; far above the ONNX paths', () => {
  const plan = recognizeFlare(new Uint8Array(fs.readFileSync(path.join(REF, 'flare_small.onnx'))));
  assert.ok(!isRefusal(plan));
  const swiftshader = { vendor: 'google', architecture: 'swiftshader', description: '', isFallbackAdapter: true, maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30 };
  const max = engineMaxPoints(plan.config, swiftshader);
  assert.ok(engineBufferBytes(plan.config, max) <= ENGINE_MEMORY_BUDGET);
  assert.ok(engineBufferBytes(plan.config, max + 1) > ENGINE_MEMORY_BUDGET);
  const o = openModel(fs.readFileSync(path.join(REF, 'flare_small.onnx')), 'ref');
  assert.ok(o.ok);
  assert.ok(max > 10 * webgpuMaxPoints(o.model.handle, swiftshader), `engine ${max} vs ORT WebGPU ${webgpuMaxPoints(o.model.handle, swiftshader)}`);
  assert.ok(max > 10 * wasmMaxPoints(o.model.handle));
  // a small buffer limit caps the output readback (N × cout floats in one buffer)
  assert.equal(engineMaxPoints(plan.config, { ...swiftshader, maxBufferSize: 2 ** 20 }), 2 ** 20 / (4 * plan.config.cout));
});

test('reference model on the engine back end: matches PyTorch y.npy and the wasm path to 1e-4 relative; kernels cached', (t) => {
  const r = ran('reference');
  assert.equal(r.backend, 'engine');
  t.diagnostic(`${r.adapter}${r.software ? ' (software)' : ''}: run ${r.ms?.toFixed(0)} ms, compile ${r.sessionMs?.toFixed(0)} ms`);
  within('vs y.npy', r.vsGolden, t);
  within('vs wasm', r.vsWasm, t);
  assert.ok(r.vsGolden!.y.maxAbs < 1e-5, `max abs ${r.vsGolden!.y.maxAbs}`);
  const again = ran('referenceAgain');
  assert.ok((again.sessionMs ?? Infinity) < 50, `second run compiled again: ${again.sessionMs} ms`);
});

test('odd point counts N = 1 and N = 7 on the engine back end match wasm to 1e-4 relative', (t) => {
  for (const n of [1, 7]) {
    const r = ran(`n${n}`);
    assert.equal(r.backend, 'engine');
    within(`N=${n} vs wasm`, r.vsWasm, t);
  }
});

test('N = 2000 in four segments of 512 points through the runtime matches y.npy', (t) => {
  const r = ran('segments');
  assert.equal(r.backend, 'engine');
  within('segments vs y.npy', r.vsGolden, t);
});

const shipped = fs.readdirSync(MODELS).filter((f) => f.endsWith('.onnx') && fs.existsSync(path.join(MODELS, 'golden', f.replace(/\.onnx$/, '.y.npy')))).map((f) => f.slice(0, -5));

test('shipped models with goldens exist', () => { assert.ok(shipped.length >= 2, `shipped: ${shipped.join(', ')}`); });

for (const name of shipped) {
  test(`shipped ${name} on the engine back end: von_mises, displacement (and v2 stress) match PyTorch and wasm to 1e-4 relative each`, (t) => {
    const r = ran(`shipped ${name}`);
    assert.equal(r.backend, 'engine');
    t.diagnostic(`run ${r.ms?.toFixed(0)} ms, compile ${r.sessionMs?.toFixed(0)} ms`);
    // v2 models (load_dir.npy beside the golden) add the stress output
    const v2 = fs.existsSync(path.join(MODELS, 'golden', `${name}.load_dir.npy`));
    assert.deepEqual(Object.keys(r.vsGolden ?? {}).sort(), v2 ? ['displacement', 'stress', 'von_mises'] : ['displacement', 'von_mises']);
    within('vs golden', r.vsGolden, t);
    within('vs wasm', r.vsWasm, t);
  });
}

test('refusals are values: a non-FLARE graph (recognizer reason), a missing input, batch 2', () => {
  const nf = get('notFlare');
  assert.equal(nf.ok, false);
  assert.equal(nf.code, 'unavailable');
  assert.match(nf.message ?? '', /FLARE engine does not recognize this graph: expected a LayerNorm .*\(at \S+\)/);
  const ms = get('missingScale');
  assert.equal(ms.code, 'bad-input');
  assert.match(ms.message ?? '', /missing input 'scale'/);
  const b2 = get('batch2');
  assert.equal(b2.code, 'unavailable');
  assert.match(b2.message ?? '', /runs batch 1/);
});

test('cancellation: an aborted caller and a superseded request get cancelled, the newest runs', () => {
  assert.equal(get('aborted').code, 'cancelled');
  assert.equal(get('superseded').code, 'cancelled');
  assert.equal(ran('superseding').backend, 'engine');
});

test('GPU device loss: that request falls back to wasm and says so; the next one runs on a fresh device', () => {
  const lost = ran('afterLoss');
  assert.equal(lost.backend, 'wasm');
  assert.match(lost.notes.join(' '), /engine: GPU device lost.*falling back to wasm/);
  assert.equal(ran('recovered').backend, 'engine');
});

test('auto: not preferred on a software adapter; past every ONNX limit the engine takes the job; else a refusal names the limits', (t) => {
  const soft = ran('autoSoftware');
  assert.equal(soft.backend, 'wasm', 'SwiftShader: the engine is slower than wasm, even above its threshold');
  const auto = ran('autoHandOver');
  assert.equal(auto.backend, 'engine');
  assert.match(auto.notes.join(' '), /2000 points exceed every onnxruntime back end's limit: handed to the FLARE engine/);
  within('hand-over vs y.npy', auto.vsGolden, t);
  const w = ran('wasmHandOver');
  assert.equal(w.backend, 'engine');
  assert.match(w.notes.join(' '), /exceed the wasm limit of 1000: handed to the FLARE engine/);
  const nf = get('notFlareTooLarge');
  assert.equal(nf.code, 'too-large');
  // the bracket3d golden deck, whichever its node count
  assert.match(nf.message ?? '', /cannot run (\d+) points: .*does not recognize this graph.*wasm skipped: \1 points exceed its limit of 1000 \(capped at 1000/);
});
