// `npm run bench:engine`: the FLARE engine against onnxruntime-web (wasm, and its WebGPU EP where
// Dawn gives an adapter) in one process, on the reference model (and a random paper-size plan with
// --paper). Prints a table with ratios against the baseline back end measured in the same run.
// Options: --sizes 1000,10000,100000  --reps 3  --budget-s 60 (skip a size whose estimate exceeds it)
//          --backends engine,ort-wasm,ort-webgpu  --baseline ort-wasm  --paper  --json out.json
//          --model path.onnx  --ort-dist dir  --stage auto|0|1|0,1 (a list runs the engine once per value)
// Where the adapter has 'timestamp-query', each engine size also prints GPU ms per kernel with its
// TFLOP/s and GB/s (kernelModel below).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { create, globals } from 'webgpu';
import { createFlareEngine, type FlareEngine, type KernelTime } from '../../../extension/core/engine/flareEngine';
import { recognizeFlare } from '../../../extension/core/engine/recognizeFlare';
import { isRefusal, type FlarePlan } from '../../../extension/core/engine/plan';
import { randomPlan } from '../../unit/engine/randomPlan';

const args = process.argv.slice(2);
const opt = (k: string, d: string): string => (args.includes(`--${k}`) ? args[args.indexOf(`--${k}`) + 1] : d);
const sizes = opt('sizes', '1000,10000,100000').split(',').map(Number);
const reps = Number(opt('reps', '3'));
const budgetS = Number(opt('budget-s', '60'));
const backends = opt('backends', 'engine,ort-wasm,ort-webgpu').split(',');
const baseline = opt('baseline', 'ort-wasm');
const modelPath = opt('model', path.resolve('../shared/reference/flare_small.onnx'));
const ortDist = opt('ort-dist', path.resolve('node_modules/onnxruntime-web/dist'));
const jsonOut = opt('json', '');
const stageOpt = opt('stage', 'auto');
const checkDir = opt('check', ''); // directory with x.npy / y.npy of the reference model: report the engine's error there

interface Row { model: string; n: number; backend: string; ms?: number; gpuMs?: number; note?: string; tflops?: number; gib?: number; kernels?: KernelTime[] }
const rows: Row[] = [];
const log = (s: string) => process.stdout.write(s + '\n');

/** FLOPs of one forward per point: linear layers 2·in·out, attention 8·C·M per block (scores + weighted sums, both steps). */
function flopsPerPoint(p: FlarePlan): number {
  const lin = [...p.inp, ...p.out, ...p.blocks.flatMap((b) => [...b.mixer.k, ...b.mixer.v, ...b.mlp, { linear: b.mixer.o }])]
    .reduce((a, l) => a + 2 * l.linear.inDim * l.linear.outDim, 0);
  return lin + p.blocks.length * 8 * p.config.channels * p.config.latents;
}

/** Per point, FLOPs and bytes moved (X/K/V/input/output rows) of each engine kernel, summed over its
 *  dispatches in a forward: mlpChain = input MLP + block 0's k/v MLPs; encode = scores + weighted sums
 *  (4·C·M per block); decodeMid/Last = decode attention (4·C·M) + o + MLP + next k/v or the output head. */
function kernelModel(p: FlarePlan): Record<string, { flops: number; bytes: number }> {
  const { cin, cout, channels: C, latents: M } = p.config;
  const B = p.blocks.length;
  const lin = (ls: { linear: { inDim: number; outDim: number } }[]) => ls.reduce((a, l) => a + 2 * l.linear.inDim * l.linear.outDim, 0);
  const b0 = p.blocks[0];
  const kv = lin(b0.mixer.k) + lin(b0.mixer.v), att = 4 * C * M, blockTail = att + lin([{ linear: b0.mixer.o }]) + lin(b0.mlp);
  return {
    mlpChain: { flops: lin(p.inp) + kv, bytes: 4 * (cin + 3 * C) },
    encode: { flops: B * att, bytes: B * 4 * 2 * C },
    merge: { flops: 0, bytes: 0 },
    decodeMid: { flops: (B - 1) * (blockTail + kv), bytes: (B - 1) * 4 * 5 * C },
    decodeLast: { flops: blockTail + lin(p.out), bytes: 4 * (2 * C + cout) },
  };
}

function median(v: number[]): number { const s = [...v].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; }

// Module scope on purpose: dawn.node tears the instance down when this object is collected.
let gpu: GPU;

function npyF32(file: string): Float32Array {
  const b = fs.readFileSync(file);
  const h = b.readUInt16LE(8);
  return new Float32Array(b.buffer.slice(b.byteOffset + 10 + h, b.byteOffset + b.length));
}

async function main(): Promise<void> {
  Object.assign(globalThis, globals);
  gpu = create(process.env.FLARE_DAWN_FLAGS ? (JSON.parse(process.env.FLARE_DAWN_FLAGS) as string[]) : []);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  const info = adapter ? `${adapter.info.vendor} ${adapter.info.architecture} ${adapter.info.description}`.trim() : 'none';
  log(`adapter: ${info}; node ${process.version}; ${new Date().toISOString()}`);
  let device: GPUDevice | undefined;
  if (adapter) {
    const l = adapter.limits;
    device = await adapter.requestDevice({ requiredFeatures: adapter.features.has('timestamp-query') ? ['timestamp-query'] : [], requiredLimits: { maxBufferSize: l.maxBufferSize, maxStorageBufferBindingSize: l.maxStorageBufferBindingSize, maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize } });
  }
  const cpuAdapter = !adapter || adapter.info.architecture === 'swiftshader' || adapter.info.isFallbackAdapter;
  const stages = stageOpt.split(',').map((v) => (v === 'auto' ? !cpuAdapter : v === '1'));
  const stage = stages[0];
  const engineBackends = (b: string): string[] => (b !== 'engine' ? [b] : stages.length > 1 ? stages.map((v) => `engine-${v ? 'staged' : 'unstaged'}`) : [b]);

  const bytes = new Uint8Array(fs.readFileSync(modelPath));
  const ref = recognizeFlare(bytes);
  if (isRefusal(ref)) throw new Error(`reference model refused: ${ref.reason}`);
  const models: { name: string; plan: FlarePlan; onnx?: Uint8Array }[] = [{ name: `small C${ref.config.channels} B${ref.config.blocks} H${ref.config.heads} M${ref.config.latents}`, plan: ref, onnx: bytes }];
  if (args.includes('--paper')) {
    models.push({ name: 'paper C128 B8 H8 M128 (random weights)', plan: randomPlan({ cin: 3, cout: 4, channels: 128, heads: 8, latents: 128, blocks: 8, hidden: { inp: 2, kv: 3, mlp: 3, out: 2 }, seed: 1 }) });
  }

  // onnxruntime-web (wasm and WebGPU EP), one thread; dawn.node rejects views over SharedArrayBuffer
  type Ort = typeof import('onnxruntime-web');
  const loadOrt = async (ep: string): Promise<Ort> => {
    const file = path.join(ortDist, ep === 'webgpu' ? 'ort.webgpu.bundle.min.mjs' : 'ort.wasm.bundle.min.mjs');
    const ort = (await import(pathToFileURL(path.resolve(file)).href)) as Ort;
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.wasmPaths = pathToFileURL(path.resolve(ortDist)).href + '/';
    return ort;
  };
  if (backends.includes('ort-webgpu') && adapter) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
    const wb = GPUQueue.prototype.writeBuffer;
    GPUQueue.prototype.writeBuffer = function (this: GPUQueue, b: GPUBuffer, off: number, data: BufferSource | SharedArrayBuffer, dOff?: number, size?: number) {
      const v = data as ArrayBufferView;
      if (v && v.buffer instanceof SharedArrayBuffer) {
        const bpe = (v as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
        const len = size ?? ((v.byteLength / bpe) - (dOff ?? 0));
        const copy = new Uint8Array(v.buffer, v.byteOffset + (dOff ?? 0) * bpe, len * bpe).slice();
        return wb.call(this, b, off, copy, 0, copy.length);
      }
      return wb.call(this, b, off, data as GPUAllowSharedBufferSource, dOff, size);
    } as typeof wb;
  }

  for (const st of checkDir && device ? [...new Set(stages)] : []) {
    const e = await createFlareEngine(ref, device!, { stageInWorkgroupMemory: st });
    if (isRefusal(e)) throw new Error(e.reason);
    const x = npyF32(path.join(checkDir, 'x.npy')), y = npyF32(path.join(checkDir, 'y.npy'));
    const out = await e.run(x, x.length / ref.config.cin);
    let err = 0, my = 0;
    for (let i = 0; i < y.length; i++) { err = Math.max(err, Math.abs(out[i] - y[i])); my = Math.max(my, Math.abs(y[i])); }
    log(`check: engine (staged=${e.layout.staged}) vs PyTorch y.npy at N=${x.length / ref.config.cin}: max abs error ${err.toExponential(3)} (max |y| ${my.toFixed(3)}, relative ${(err / my).toExponential(2)})`);
    e.dispose();
  }

  for (const m of models) {
    const fpp = flopsPerPoint(m.plan);
    log(`\n## ${m.name}: ${(fpp / 1e6).toFixed(2)} MFLOP per point`);
    for (const backend of backends.flatMap(engineBackends)) {
      let engine: FlareEngine | undefined;
      let session: { run(feeds: Record<string, unknown>): Promise<unknown>; release(): Promise<void> } | undefined;
      let ort: Ort | undefined;
      try {
        if (backend.startsWith('engine')) {
          if (!device) { rows.push({ model: m.name, n: 0, backend, note: 'no WebGPU adapter' }); continue; }
          const e = await createFlareEngine(m.plan, device, { stageInWorkgroupMemory: backend === 'engine' ? stage : backend === 'engine-staged' });
          if (isRefusal(e)) { rows.push({ model: m.name, n: 0, backend, note: `refused: ${e.reason}` }); continue; }
          engine = e;
          log(`engine: ${e.layout.pipelines} pipelines compiled in ${e.layout.compileMs.toFixed(0)} ms, staged=${e.layout.staged}`);
        } else {
          if (!m.onnx) continue;
          if (backend === 'ort-webgpu' && !adapter) { rows.push({ model: m.name, n: 0, backend, note: 'no WebGPU adapter' }); continue; }
          ort = await loadOrt(backend === 'ort-webgpu' ? 'webgpu' : 'wasm');
          session = await ort.InferenceSession.create(m.onnx, { executionProviders: [backend === 'ort-webgpu' ? 'webgpu' : 'wasm'] });
        }
      } catch (e) { rows.push({ model: m.name, n: 0, backend, note: `setup failed: ${String(e).slice(0, 120)}` }); continue; }
      let lastMsPerPoint = 0;
      for (const n of sizes) {
        const row: Row = { model: m.name, n, backend };
        rows.push(row);
        if (lastMsPerPoint && lastMsPerPoint * n * (reps + 1) > budgetS * 1000) { row.note = `skipped (est. ${(lastMsPerPoint * n / 1000).toFixed(0)} s per run)`; continue; }
        const x = Float32Array.from({ length: n * m.plan.config.cin }, (_, i) => ((i * 2654435761) % 1000) / 1000 - 0.5);
        try {
          const times: number[] = [];
          for (let r = 0; r < reps + 1; r++) {
            const t = performance.now();
            if (engine) await engine.run(x, n);
            else await session!.run({ [m.plan.inputName]: new ort!.Tensor('float32', x, [1, n, m.plan.config.cin]) });
            if (r > 0 || reps === 0) times.push(performance.now() - t); // first run warms up
            if (r === 0) lastMsPerPoint = (performance.now() - t) / n;
          }
          row.ms = median(times);
          lastMsPerPoint = row.ms / n;
          if (engine) {
            row.gpuMs = await engine.timeForwards(Math.max(1, reps));
            row.tflops = (fpp * n) / (row.gpuMs * 1e-3) / 1e12;
            row.gib = engine.bufferBytes() / 2 ** 30;
            row.kernels = (await engine.profileKernels()) ?? undefined;
          }
        } catch (e) { row.note = `failed: ${String(e).slice(0, 120)}`; }
        log(`  ${backend} N=${n}: ${row.ms?.toFixed(1) ?? '-'} ms${row.gpuMs ? ` (GPU ${row.gpuMs.toFixed(2)} ms, ${row.tflops!.toFixed(2)} TFLOP/s, ${(row.gib! * 1024).toFixed(0)} MiB)` : ''}${row.note ? ' ' + row.note : ''}`);
        const km = kernelModel(m.plan);
        for (const k of row.kernels ?? []) {
          const c = km[k.kernel];
          log(`    ${k.kernel.padEnd(10)} ${k.ms.toFixed(3).padStart(9)} ms (${k.dispatches} dispatches)${c ? `  ${((c.flops * n) / (k.ms * 1e9)).toFixed(2)} TFLOP/s  ${((c.bytes * n) / (k.ms * 1e6)).toFixed(0)} GB/s` : ''}`);
        }
      }
      engine?.dispose();
      await session?.release();
    }
  }

  // table: ratio = baseline ms / this ms (how many times faster than the baseline, same process)
  log(`\n| model | N | back end | ms (end to end, median of ${reps}) | GPU ms/forward | TFLOP/s | GPU buffers | speed-up vs ${baseline} |`);
  log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const base = rows.find((b) => b.model === r.model && b.n === r.n && b.backend === baseline)?.ms;
    const ratio = base && r.ms ? `${(base / r.ms).toFixed(2)}x` : '–';
    log(`| ${r.model} | ${r.n || '–'} | ${r.backend} | ${r.ms?.toFixed(1) ?? (r.note ?? '–')} | ${r.gpuMs?.toFixed(2) ?? '–'} | ${r.tflops?.toFixed(2) ?? '–'} | ${r.gib ? (r.gib * 1024).toFixed(0) + ' MiB' : '–'} | ${ratio} |`);
  }
  if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify({ adapter: info, rows }, null, 1));
}

main().then(() => process.exit(0), (e: unknown) => { process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`); process.exit(1); });
