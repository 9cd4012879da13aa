// Runs the runtime with the `engine` back end on Dawn (SwiftShader without a GPU) in a child
// process (Dawn needs the Vulkan loader on LD_LIBRARY_PATH at process start; see
// test/unit/engine/engineGpu.ts). Prints one JSON line: a record of scenario results.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createNodeRuntime, installDawn, findOrtDir, loadOrtFrom } from '../../../extension/core/runtime/node';
import { openModel } from '../../../extension/core/runtime/model';
import { readNpy, toFloat32 } from '../../../extension/core/runtime/npy';
import { EngineBackend } from '../../../extension/core/runtime/engineBackend';
import { OrtBackend } from '../../../extension/core/runtime/ortBackend';
import { FlareRuntime, type RunResult } from '../../../extension/core/runtime/runtime';
import type { ModelHandle, Tensors } from '../../../extension/core/runtime/backend';

const ROOT = path.resolve(__dirname, '../../..');
const REF = path.resolve(ROOT, '../shared/reference');
const MODELS = path.join(ROOT, 'models');

export interface Parity { maxAbs: number; maxRef: number }
export interface Outcome { ok: boolean; backend?: string; code?: string; message?: string; notes: string[]; ms?: number; sessionMs?: number; adapter?: string; software?: boolean; vsGolden?: Record<string, Parity>; vsWasm?: Record<string, Parity> }
export type WorkerOutput = { results: Record<string, Outcome> } | { noDevice: string } | { fatal: string };

function npy(file: string): { data: Float32Array; dims: number[] } {
  const r = readNpy(fs.readFileSync(file), file);
  if (!r.ok) throw new Error(r.error);
  return { data: toFloat32(r.array), dims: [...r.array.shape] };
}

function model(file: string): ModelHandle {
  const o = openModel(fs.readFileSync(file), file);
  if (!o.ok) throw new Error(o.error);
  return o.model.handle;
}

/** Outputs side by side on the last axis, in `order` ([B,N] counts as [B,N,1]), with each one's column range. */
function columns(t: Tensors, order: string[]): { data: Float32Array; width: number; cols: Record<string, [number, number]> } {
  const parts = order.map((name) => {
    const v = t[name];
    if (!v) throw new Error(`no output ${name}`);
    return { name, v, w: v.dims.length >= 3 ? (v.dims.at(-1) as number) : 1 };
  });
  const width = parts.reduce((a, p) => a + p.w, 0);
  const rows = parts[0].v.data.length / parts[0].w;
  const data = new Float32Array(rows * width);
  const cols: Record<string, [number, number]> = {};
  let c0 = 0;
  for (const p of parts) {
    for (let r = 0; r < rows; r++) for (let c = 0; c < p.w; c++) data[r * width + c0 + c] = p.v.data[r * p.w + c];
    cols[p.name] = [c0, c0 + p.w];
    c0 += p.w;
  }
  return { data, width, cols };
}

/** Per output: max |out - ref| and max |ref|; `ref` is a golden array [.., N, width] or another run's outputs. */
function parity(out: Tensors, ref: Tensors | { data: Float32Array; dims: number[] }, order: string[]): Record<string, Parity> {
  const a = columns(out, order);
  const b = 'dims' in ref && ref.data instanceof Float32Array ? ref as { data: Float32Array; dims: number[] } : columns(ref as Tensors, order);
  if (b.data.length !== a.data.length) throw new Error(`reference has ${b.data.length} values, outputs ${a.data.length}`);
  const res: Record<string, Parity> = {};
  for (const [name, [c0, c1]] of Object.entries(a.cols)) {
    let maxAbs = 0, maxRef = 0;
    for (let i = 0; i < a.data.length; i++) {
      const c = i % a.width;
      if (c < c0 || c >= c1) continue;
      const d = Math.abs(a.data[i] - b.data[i]);
      maxAbs = Number.isNaN(d) ? Infinity : Math.max(maxAbs, d);
      maxRef = Math.max(maxRef, Math.abs(b.data[i]));
    }
    res[name] = { maxAbs, maxRef };
  }
  return res;
}

function outcome(r: RunResult): Outcome {
  return r.ok
    ? { ok: true, backend: r.backend, notes: [...r.notes], ms: r.ms, sessionMs: r.sessionMs, ...(r.adapter ? { adapter: r.adapter.architecture, software: r.adapter.isFallbackAdapter } : {}) }
    : { ok: false, code: r.error.code, message: r.error.message, notes: [...r.notes] };
}

/** The real wasm back end, capped at `cap` points, to reach the runtime's over-the-limit paths at small N. */
class CappedWasm extends OrtBackend {
  constructor(private readonly cap: number) {
    const dir = findOrtDir();
    super({ ep: 'wasm', loadOrt: loadOrtFrom(dir, 'wasm'), wasmPaths: dir, numThreads: 1 });
  }
  override maxPoints(m: ModelHandle): number { return Math.min(this.cap, super.maxPoints(m)); }
  override describeLimit(): string { return `capped at ${this.cap} points for this test`; }
}

async function main(): Promise<WorkerOutput> {
  const dawn = await installDawn();
  if (!dawn.ok) return { noDevice: dawn.reason };
  if (!(await dawn.gpu.requestAdapter())) return { noDevice: 'no WebGPU adapter from Dawn (install chromium for SwiftShader, or a Vulkan driver)' };
  const results: Record<string, Outcome> = {};
  const rt = await createNodeRuntime({ backends: ['wasm', 'engine'], wasmThreads: 1 });
  const engine = rt.get('engine') as EngineBackend;
  const ref = model(path.join(REF, 'flare_small.onnx'));
  const x = npy(path.join(REF, 'x.npy'));
  const y = npy(path.join(REF, 'y.npy'));
  const refInputs = { x };
  try {
    // Reference model: engine vs PyTorch and vs the ONNX (wasm) path; the second run reuses the kernels.
    const wasmRef = await rt.run({ model: ref, inputs: refInputs, backend: 'wasm' });
    if (!wasmRef.ok) throw new Error(`wasm: ${wasmRef.error.message}`);
    const e1 = await rt.run({ model: ref, inputs: refInputs, backend: 'engine' });
    results.reference = { ...outcome(e1), ...(e1.ok ? { vsGolden: parity(e1.outputs, y, ['y']), vsWasm: parity(e1.outputs, wasmRef.outputs, ['y']) } : {}) };
    results.referenceAgain = outcome(await rt.run({ model: ref, inputs: refInputs, backend: 'engine' }));

    // Odd point counts, against wasm on the same points.
    for (const n of [1, 7]) {
      const inputs = { x: { data: x.data.slice(0, 3 * n), dims: [1, n, 3] } };
      const w = await rt.run({ model: ref, inputs, backend: 'wasm' });
      const e = await rt.run({ model: ref, inputs, backend: 'engine' });
      results[`n${n}`] = { ...outcome(e), ...(e.ok && w.ok ? { vsWasm: parity(e.outputs, w.outputs, ['y']) } : {}) };
    }

    // Every shipped model with a golden: engine vs PyTorch and vs wasm, per output.
    for (const file of fs.readdirSync(MODELS).filter((f) => f.endsWith('.onnx')).sort()) {
      const name = file.slice(0, -5);
      const g = path.join(MODELS, 'golden', name);
      if (!fs.existsSync(`${g}.y.npy`)) continue;
      const m = model(path.join(MODELS, file));
      // v2 models also take load_dir (and add the stress output, y [1, N, 10])
      const inputs = { x: npy(`${g}.x.npy`), scale: npy(`${g}.scale.npy`), ...(fs.existsSync(`${g}.load_dir.npy`) ? { load_dir: npy(`${g}.load_dir.npy`) } : {}) };
      const order = m.info.outputs.map((o) => o.name);
      const w = await rt.run({ model: m, inputs, backend: 'wasm' });
      const e = await rt.run({ model: m, inputs, backend: 'engine' });
      results[`shipped ${name}`] = { ...outcome(e), ...(e.ok && w.ok ? { vsGolden: parity(e.outputs, npy(`${g}.y.npy`), order), vsWasm: parity(e.outputs, w.outputs, order) } : {}) };
      if (!results.missingScale) results.missingScale = outcome(await rt.run({ model: m, inputs: { x: inputs.x }, backend: 'engine' }));
    }

    // A graph the recognizer does not match (the per-point MLP baseline): refused as a value.
    const mlp = model(path.join(MODELS, 'baselines', 'bracket3d-mlp-baseline.onnx'));
    const mlpInputs = { x: npy(path.join(MODELS, 'golden', 'bracket3d-elasticity.x.npy')), scale: npy(path.join(MODELS, 'golden', 'bracket3d-elasticity.scale.npy')) };
    results.notFlare = outcome(await rt.run({ model: mlp, inputs: mlpInputs, backend: 'engine' }));

    const batch2 = { x: { data: new Float32Array(2 * 5 * 3), dims: [2, 5, 3] } };
    results.batch2 = outcome(await rt.run({ model: ref, inputs: batch2, backend: 'engine' }));

    // Cancellation: an aborted caller, and a newer request on the same channel.
    const ac = new AbortController();
    ac.abort();
    const small = { x: { data: x.data.slice(0, 3 * 64), dims: [1, 64, 3] } };
    results.aborted = outcome(await rt.run({ model: ref, inputs: small, backend: 'engine', signal: ac.signal }));
    const [first, second] = await Promise.all([rt.run({ model: ref, inputs: small, backend: 'engine', channel: 'doc' }), rt.run({ model: ref, inputs: small, backend: 'engine', channel: 'doc' })]);
    results.superseded = outcome(first);
    results.superseding = outcome(second);

    // Device loss: this request falls back to wasm and says so; the next gets a fresh device.
    engine.loseDevice();
    await new Promise((r) => setTimeout(r, 50));
    results.afterLoss = outcome(await rt.run({ model: ref, inputs: small, backend: 'engine' }));
    results.recovered = outcome(await rt.run({ model: ref, inputs: small, backend: 'engine' }));

    // Several segments through the runtime (512 points each), and auto on a software adapter:
    // not preferred even above its threshold (100 points here).
    const segmented = new EngineBackend({ gpu: dawn.gpu, maxSegmentPoints: 512, preferredFrom: 100 });
    const capped = new CappedWasm(1000);
    const rt2 = new FlareRuntime([capped, segmented]);
    try {
      const mid = { x: { data: x.data.slice(0, 3 * 800), dims: [1, 800, 3] } };
      const auto800 = await rt2.run({ model: ref, inputs: mid });
      results.autoSoftware = outcome(auto800);
      const seg = await rt2.run({ model: ref, inputs: refInputs, backend: 'engine' });
      results.segments = { ...outcome(seg), ...(seg.ok ? { vsGolden: parity(seg.outputs, y, ['y']) } : {}) };
      // Past the (capped) wasm limit: auto and an explicit wasm choice hand the job to the engine.
      const autoBig = await rt2.run({ model: ref, inputs: refInputs });
      results.autoHandOver = { ...outcome(autoBig), ...(autoBig.ok ? { vsGolden: parity(autoBig.outputs, y, ['y']) } : {}) };
      results.wasmHandOver = outcome(await rt2.run({ model: ref, inputs: refInputs, backend: 'wasm' }));
      // ... unless the engine cannot run the graph: refused, naming the limit and the engine's reason.
      results.notFlareTooLarge = outcome(await rt2.run({ model: mlp, inputs: mlpInputs }));
    } finally {
      await rt2.dispose();
    }
  } finally {
    await rt.dispose();
  }
  return { results };
}

main().then(
  (r) => { process.stdout.write(JSON.stringify(r) + '\n'); process.exit(0); },
  (e: unknown) => { process.stdout.write(JSON.stringify({ fatal: e instanceof Error ? e.stack ?? e.message : String(e) }) + '\n'); process.exit(1); },
);
