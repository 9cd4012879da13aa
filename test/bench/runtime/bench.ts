// `npm run bench:runtime [-- --sizes 1000,10000,100000] [--model M.onnx]`: time per run after a
// warm-up, session time and peak memory per back end and N, and the ratio to onnxruntime-node CPU
// measured in the same run. Each (back end, N) runs in its own child process so that peak RSS
// belongs to that configuration alone.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeCpuBackend, createNodeRuntime, defaultWasmThreads, findOrtDir, loadOrtFrom } from '../../../extension/core/runtime/node';
import { openModel } from '../../../extension/core/runtime/model';
import { OrtBackend } from '../../../extension/core/runtime/ortBackend';
import { FlareRuntime } from '../../../extension/core/runtime/runtime';
import type { BackendName } from '../../../extension/core/runtime/backend';

const REF_MODEL = path.resolve(__dirname, '../../../../shared/reference/flare_small.onnx');

interface One { config: string; n: number; ms?: number; sessionMs?: number; maxRssMiB: number; reps?: number; error?: string; detail?: string }

/** Configurations: a back end, optionally on a different onnxruntime-web build or thread count. */
const CONFIGS: Record<string, { backend: BackendName; build?: 'webgpu'; threads?: number }> = {
  'node-cpu': { backend: 'node-cpu' },
  // one thread on both sides: the like-for-like ratio for webviews, whose wasm is single-threaded
  'node-cpu-1t': { backend: 'node-cpu', threads: 1 },
  'wasm': { backend: 'wasm' },
  'wasm-1t': { backend: 'wasm', threads: 1 },
  'wasm-asyncify-1t': { backend: 'wasm', build: 'webgpu', threads: 1 },
  'webgpu': { backend: 'webgpu' },
  'engine': { backend: 'engine' },
};

const CHROMIUM_LIB = '/usr/lib/chromium';

/** Dawn (webgpu, engine) needs a Vulkan loader at process start: Debian's chromium ships one with SwiftShader. */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  if (fs.existsSync(path.join(CHROMIUM_LIB, 'libvulkan.so.1'))) env.LD_LIBRARY_PATH = [CHROMIUM_LIB, env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  if (!env.VK_ICD_FILENAMES && !env.VK_DRIVER_FILES && fs.existsSync(path.join(CHROMIUM_LIB, 'vk_swiftshader_icd.json'))) env.VK_ICD_FILENAMES = path.join(CHROMIUM_LIB, 'vk_swiftshader_icd.json');
  return env;
}

function seeded(n: number): Float32Array {
  const out = new Float32Array(n);
  let s = 0x2545f491;
  for (let i = 0; i < n; i++) { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; out[i] = (s >>> 0) / 4294967296 - 0.5; }
  return out;
}

async function one(config: string, n: number, modelFile: string): Promise<One> {
  const c = CONFIGS[config];
  let rt: FlareRuntime;
  if (c.backend === 'node-cpu' && c.threads !== undefined) {
    rt = new FlareRuntime([new NodeCpuBackend(c.threads)]);
  } else if (c.build === 'webgpu' || c.threads !== undefined) {
    // The same OrtBackend, pointed at another build (the WebGPU build's asyncify wasm runs the wasm EP too).
    const dir = findOrtDir();
    rt = new FlareRuntime([new OrtBackend({ ep: 'wasm', loadOrt: loadOrtFrom(dir, c.build ?? 'wasm'), wasmPaths: dir, numThreads: c.threads ?? defaultWasmThreads() })]);
  } else {
    rt = await createNodeRuntime({ backends: [c.backend] });
  }
  const opened = openModel(fs.readFileSync(modelFile), modelFile);
  if (!opened.ok) return { config, n, maxRssMiB: 0, error: opened.error };
  const model = opened.model.handle;
  const cin = model.info.inputs[0].dims[2];
  const inputs: Record<string, { data: Float32Array; dims: number[] }> = { [model.info.inputs[0].name]: { data: seeded(n * (typeof cin === 'number' ? cin : 3)), dims: [1, n, typeof cin === 'number' ? cin : 3] } };
  for (const extra of model.info.inputs.slice(1)) inputs[extra.name] = { data: Float32Array.from([1, 1]), dims: [1, 2] };
  const status = (await rt.status())[0];
  if (!status.ok) return { config, n, maxRssMiB: 0, error: status.detail };
  const warm = await rt.run({ model, inputs, backend: c.backend });
  if (!warm.ok) return { config, n, maxRssMiB: process.resourceUsage().maxRSS / 1024, error: warm.error.message };
  const reps = n <= 1000 ? 5 : n <= 10_000 ? 3 : 1;
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const r = await rt.run({ model, inputs, backend: c.backend });
    if (!r.ok) return { config, n, maxRssMiB: process.resourceUsage().maxRSS / 1024, error: r.error.message };
    times.push(r.ms);
  }
  await rt.dispose();
  times.sort((a, b) => a - b);
  return { config, n, ms: times[times.length >> 1], sessionMs: warm.sessionMs, maxRssMiB: process.resourceUsage().maxRSS / 1024, reps, detail: status.detail };
}

async function mainBench(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string): string | undefined => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
  const modelFile = opt('--model') ?? REF_MODEL;
  if (args[0] === '--one') {
    const r = await one(args[1], Number(args[2]), modelFile);
    process.stdout.write('\n@@' + JSON.stringify(r) + '\n');
    return;
  }
  const sizes = (opt('--sizes') ?? '1000,10000,100000').split(',').map(Number);
  const configs = (opt('--configs') ?? 'node-cpu,wasm,wasm-1t,wasm-asyncify-1t,webgpu,engine').split(',');
  const rows: One[] = [];
  for (const n of sizes) {
    for (const config of configs) {
      const p = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--one', config, String(n), '--model', modelFile], { encoding: 'utf8', timeout: 900_000, env: childEnv() });
      const line = (p.stdout ?? '').split('\n').find((l) => l.startsWith('@@'));
      const r: One = line ? (JSON.parse(line.slice(2)) as One) : { config, n, maxRssMiB: 0, error: `child failed (${p.status ?? p.signal}): ${(p.stderr ?? '').trim().split('\n').slice(-2).join(' ')}` };
      rows.push(r);
      process.stderr.write(`${config} N=${n}: ${r.ms !== undefined ? `${r.ms.toFixed(1)} ms` : r.error}\n`);
    }
  }
  const cpu = (n: number, config = 'node-cpu'): number | undefined => rows.find((r) => r.n === n && r.config === config)?.ms;
  const ratioTo = (r: One, base: number | undefined): string => (r.ms !== undefined && base ? (r.ms / base).toFixed(2) : '—');
  const out: string[] = [];
  out.push(`FLARE runtime benchmark — model ${path.basename(modelFile)}, ${os.cpus()[0]?.model ?? 'cpu'} x${os.availableParallelism()}, load avg ${os.loadavg()[0].toFixed(1)}, Node ${process.versions.node}`);
  out.push('');
  out.push('| back end | N | run ms (median) | x onnxruntime-node | x onnxruntime-node 1 thread | session ms | peak RSS MiB | note |');
  out.push('|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    out.push(`| ${r.config} | ${r.n} | ${r.ms !== undefined ? r.ms.toFixed(1) : '—'} | ${ratioTo(r, cpu(r.n))} | ${ratioTo(r, cpu(r.n, 'node-cpu-1t'))} | ${r.sessionMs !== undefined ? r.sessionMs.toFixed(0) : '—'} | ${r.maxRssMiB.toFixed(0)} | ${(r.error ?? r.detail ?? '').replace(/\|/g, '/').slice(0, 140)} |`);
  }
  process.stdout.write(out.join('\n') + '\n');
}

void mainBench().catch((e: unknown) => {
  process.stderr.write(`bench:runtime failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exitCode = 1;
});
