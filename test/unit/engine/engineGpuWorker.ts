// Runs engine cases on a Dawn device in a child process (Dawn needs the Vulkan loader on
// LD_LIBRARY_PATH at process start; see engineGpu.ts). Prints one JSON line of results.
import * as fs from 'node:fs';
import { dawnDevice } from './dawnDevice';
import { readNpyF32 } from './npy';
import { createFlareEngine, engineBufferBytes, loadFlareEngine, type FlareEngineOptions } from '../../../extension/core/engine/flareEngine';
import { runCpuReference } from '../../../extension/core/engine/cpuReference';
import { isRefusal } from '../../../extension/core/engine/plan';
import { randomInput, randomPlan, type RandomConfig } from './randomPlan';

export type GpuCase =
  | { kind: 'reference'; name: string; onnx: string; x: string; y: string; opts?: FlareEngineOptions }
  | { kind: 'shipped'; name: string; onnx: string; golden: string; opts?: FlareEngineOptions }
  | { kind: 'random'; name: string; config: RandomConfig; ns: number[]; opts?: FlareEngineOptions; cpuLimit?: number };

export interface GpuResult { name: string; ok: boolean; error?: string; runs?: { n: number; maxAbs: number; maxRef: number; ms: number; checked: number; bytes?: number; estimate?: number }[]; compileMs?: number; adapter?: string }

async function runCase(c: GpuCase, device: GPUDevice): Promise<GpuResult> {
  if (c.kind === 'reference') {
    const e = await loadFlareEngine(new Uint8Array(fs.readFileSync(c.onnx)), device, c.opts);
    if (isRefusal(e)) return { name: c.name, ok: false, error: `refused: ${e.reason} at ${e.at}` };
    const x = readNpyF32(c.x), y = readNpyF32(c.y);
    const n = x.length / e.config.cin;
    const t = performance.now();
    const out = await e.run(x, n);
    const ms = performance.now() - t;
    let maxAbs = 0, maxRef = 0;
    for (let i = 0; i < y.length; i++) { maxAbs = Math.max(maxAbs, Math.abs(out[i] - y[i])); maxRef = Math.max(maxRef, Math.abs(y[i])); }
    e.dispose();
    return { name: c.name, ok: out.length === y.length, runs: [{ n, maxAbs, maxRef, ms, checked: y.length }], compileMs: e.layout.compileMs };
  }
  if (c.kind === 'shipped') {
    const e = await loadFlareEngine(new Uint8Array(fs.readFileSync(c.onnx)), device, c.opts);
    if (isRefusal(e)) return { name: c.name, ok: false, error: `refused: ${e.reason} at ${e.at}` };
    const x = readNpyF32(`${c.golden}.x.npy`), scale = readNpyF32(`${c.golden}.scale.npy`), y = readNpyF32(`${c.golden}.y.npy`);
    // v2 models also take load_dir [1, 3] and add stress [1, N, 6]: y is [1, N, 10] (von_mises, displacement, stress)
    const v2 = fs.existsSync(`${c.golden}.load_dir.npy`);
    const n = x.length / e.config.cin;
    const t = performance.now();
    const out = await e.runTensors({
      x: { data: x, dims: [1, n, e.config.cin] }, scale: { data: scale, dims: [1, 2] },
      ...(v2 ? { load_dir: { data: readNpyF32(`${c.golden}.load_dir.npy`), dims: [1, 3] } } : {}),
    });
    const ms = performance.now() - t;
    const vm = out.von_mises, u = out.displacement, s = out.stress;
    if (!vm || !u || vm.dims.join() !== `1,${n}` || u.dims.join() !== `1,${n},3` || (v2 && (!s || s.dims.join() !== `1,${n},6`))) return { name: c.name, ok: false, error: `outputs ${Object.keys(out)} with dims ${vm?.dims} / ${u?.dims} / ${s?.dims}` };
    const cols = v2 ? 10 : 4;
    let maxAbs = 0, maxRef = 0;
    for (let i = 0; i < n; i++) {
      const got = [vm.data[i], u.data[3 * i], u.data[3 * i + 1], u.data[3 * i + 2], ...(v2 && s ? Array.from(s.data.subarray(6 * i, 6 * i + 6)) : [])];
      for (let k = 0; k < cols; k++) { maxAbs = Math.max(maxAbs, Math.abs(got[k] - y[cols * i + k])); maxRef = Math.max(maxRef, Math.abs(y[cols * i + k])); }
    }
    e.dispose();
    return { name: c.name, ok: true, runs: [{ n, maxAbs, maxRef, ms, checked: cols * n }], compileMs: e.layout.compileMs };
  }
  const plan = randomPlan(c.config);
  const e = await createFlareEngine(plan, device, c.opts);
  if (isRefusal(e)) return { name: c.name, ok: false, error: `refused: ${e.reason} at ${e.at}` };
  const runs = [];
  for (const n of c.ns) {
    const x = randomInput(n, c.config.cin, c.config.seed + n);
    const t = performance.now();
    const out = await e.run(x, n);
    const ms = performance.now() - t;
    if (out.length !== n * c.config.cout) return { name: c.name, ok: false, error: `output length ${out.length} for n=${n}` };
    // the float64 reference is O(N·M) per head: compare all points when N is small, else skip the CPU pass
    if (c.cpuLimit !== undefined && n > c.cpuLimit) {
      runs.push({ n, maxAbs: out.every(Number.isFinite) ? 0 : Infinity, maxRef: 1, ms, checked: 0, bytes: e.bufferBytes(), estimate: engineBufferBytes(plan.config, n) });
      continue;
    }
    const ref = runCpuReference(plan, x, n);
    let maxAbs = 0, maxRef = 0;
    for (let i = 0; i < ref.length; i++) { maxAbs = Math.max(maxAbs, Math.abs(out[i] - ref[i])); maxRef = Math.max(maxRef, Math.abs(ref[i])); }
    runs.push({ n, maxAbs, maxRef, ms, checked: ref.length, bytes: e.bufferBytes(), estimate: engineBufferBytes(plan.config, n) });
  }
  e.dispose();
  return { name: c.name, ok: true, runs, compileMs: e.layout.compileMs };
}

async function main(): Promise<void> {
  const cases = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as GpuCase[];
  const d = await dawnDevice();
  if (typeof d === 'string') { process.stdout.write(JSON.stringify({ noDevice: d }) + '\n'); return; }
  const results: GpuResult[] = [];
  for (const c of cases) {
    try { results.push({ ...(await runCase(c, d.device)), adapter: d.adapterInfo }); } catch (e) {
      results.push({ name: c.name, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  }
  process.stdout.write(JSON.stringify({ results }) + '\n');
}

main().then(() => process.exit(0), (e: unknown) => { process.stdout.write(JSON.stringify({ fatal: String(e) }) + '\n'); process.exit(1); });
