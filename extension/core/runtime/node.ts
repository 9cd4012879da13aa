// Node side of the runtime (CLI, tests, benchmarks): onnxruntime-web loaded from media/ort on disk
// (the very files the webview ships), WebGPU from Dawn (npm `webgpu`), and onnxruntime-node as the
// native CPU reference. Nothing here may be imported by webview code.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as OrtNode from 'onnxruntime-node';
import {
  errorMessage, pointsOf, type Availability, type Backend, type BackendName, type BackendPrepared, type BackendRun, type ModelHandle,
  type ProgressListener, type Tensors,
} from './backend';
import { hostBytesPerPoint } from './limits';
import { EngineBackend } from './engineBackend';
import { OrtBackend, type OrtModule } from './ortBackend';
import { FlareRuntime } from './runtime';

/** Folder with ort.wasm.min.mjs & co: media/ort of the extension (built), else the npm package. */
export function findOrtDir(): string {
  const tried: string[] = [];
  for (let d = __dirname, i = 0; i < 6; i++, d = path.dirname(d)) {
    const p = path.join(d, 'media', 'ort');
    tried.push(p);
    if (fs.existsSync(path.join(p, 'ort.wasm.min.mjs')) && fs.existsSync(path.join(p, 'ort-wasm-simd-threaded.wasm'))) return p + path.sep;
  }
  for (let d = __dirname, i = 0; i < 6; i++, d = path.dirname(d)) {
    const p = path.join(d, 'node_modules', 'onnxruntime-web', 'dist');
    if (fs.existsSync(path.join(p, 'ort.wasm.min.mjs'))) return p + path.sep;
  }
  throw new Error(`onnxruntime-web files not found (looked in ${tried.join(', ')}); run \`node scripts/build.mjs\``);
}

// A real dynamic import, kept as such by esbuild's CJS output and by tsx (which would otherwise
// turn `import()` into `require()`, and require cannot load a file:// URL).
const nativeImport = new Function('u', 'return import(u)') as (url: string) => Promise<unknown>;

export function loadOrtFrom(dir: string, variant: 'wasm' | 'webgpu'): () => Promise<OrtModule> {
  return async () => (await nativeImport(pathToFileURL(path.join(dir, variant === 'wasm' ? 'ort.wasm.min.mjs' : 'ort.webgpu.min.mjs')).href)) as OrtModule;
}

export type DawnResult = { ok: true; gpu: GPU } | { ok: false; reason: string };

let dawn: Promise<DawnResult> | undefined;

/**
 * Installs Dawn's WebGPU as `navigator.gpu` for this process. Dawn needs a Vulkan loader
 * (libvulkan.so.1) and driver; on CPU-only machines Chromium's SwiftShader ICD works:
 * LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json.
 */
export function installDawn(): Promise<DawnResult> {
  dawn ??= (async (): Promise<DawnResult> => {
    try {
      const mod = (await nativeImport('webgpu')) as { create(flags: string[]): GPU; globals: object };
      Object.assign(globalThis, mod.globals);
      const gpu = mod.create(['backend=vulkan']);
      const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
      if (nav && typeof nav === 'object') {
        try { Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true }); } catch { /* read-only navigator */ }
      } else {
        Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
      }
      // dawn.node rejects views over SharedArrayBuffer (threaded wasm memory): hand it a copy.
      const proto = (globalThis as { GPUQueue?: { prototype: GPUQueue } }).GPUQueue?.prototype;
      if (proto && !(proto as { __flarePatched?: boolean }).__flarePatched) {
        const orig = proto.writeBuffer;
        proto.writeBuffer = function (this: GPUQueue, buffer: GPUBuffer, offset: number, data: GPUAllowSharedBufferSource, dataOffset?: number, size?: number): undefined {
          if (ArrayBuffer.isView(data) && typeof SharedArrayBuffer !== 'undefined' && data.buffer instanceof SharedArrayBuffer) {
            const bpe = (data as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
            const count = size ?? data.byteLength / bpe - (dataOffset ?? 0);
            const copy = new Uint8Array(data.buffer, data.byteOffset + (dataOffset ?? 0) * bpe, count * bpe).slice();
            return orig.call(this, buffer, offset, copy, 0, copy.length);
          }
          return orig.call(this, buffer, offset, data, dataOffset, size);
        };
        (proto as { __flarePatched?: boolean }).__flarePatched = true;
      }
      return { ok: true, gpu };
    } catch (e) {
      return { ok: false, reason: `Dawn (npm webgpu) failed to load: ${errorMessage(e)}` };
    }
  })();
  return dawn;
}

/** onnxruntime-node (native CPU): the reference back end for parity and for speed ratios. */
export class NodeCpuBackend implements Backend {
  readonly name = 'node-cpu' as const;
  private ort?: Promise<typeof OrtNode>;
  private readonly sessions = new Map<string, Promise<OrtNode.InferenceSession>>();

  constructor(private readonly threads = 0) {}

  private module(): Promise<typeof OrtNode> {
    this.ort ??= (nativeImport('onnxruntime-node') as Promise<typeof OrtNode & { default?: typeof OrtNode }>).then((m) => m.default ?? m);
    return this.ort;
  }

  async available(): Promise<Availability> {
    try {
      await this.module();
      return { ok: true, detail: `onnxruntime-node CPU, ${this.threads || os.availableParallelism()} thread(s)` };
    } catch (e) {
      return { ok: false, reason: `onnxruntime-node is not installed: ${errorMessage(e)}` };
    }
  }

  maxPoints(model: ModelHandle): number {
    return Math.floor((os.totalmem() * 0.5) / hostBytesPerPoint(model));
  }

  describeLimit(): string {
    return `half of this machine's ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB memory`;
  }

  private session(ort: typeof OrtNode, model: ModelHandle): Promise<OrtNode.InferenceSession> {
    let s = this.sessions.get(model.key);
    if (!s) {
      s = ort.InferenceSession.create(model.bytes, { executionProviders: ['cpu'], graphOptimizationLevel: 'all', ...(this.threads ? { intraOpNumThreads: this.threads } : {}) });
      this.sessions.set(model.key, s);
      s.catch(() => this.sessions.delete(model.key));
    }
    return s;
  }

  async prepare(model: ModelHandle): Promise<BackendPrepared> {
    const t0 = performance.now();
    const cached = this.sessions.has(model.key);
    try {
      await this.session(await this.module(), model);
      return { ok: true, sessionMs: cached ? 0 : performance.now() - t0 };
    } catch (e) {
      return { ok: false, error: { code: 'bad-model', message: `node-cpu: ${errorMessage(e)}`, backend: 'node-cpu' } };
    }
  }

  async run(model: ModelHandle, inputs: Tensors, signal: AbortSignal, onProgress: ProgressListener): Promise<BackendRun> {
    const backend: BackendName = 'node-cpu';
    if (signal.aborted) return { ok: false, error: { code: 'cancelled', message: 'cancelled', backend } };
    try {
      const ort = await this.module();
      const t0 = performance.now();
      const s = this.session(ort, model);
      onProgress({ stage: 'session', fraction: 0.05, message: 'onnxruntime-node session', backend });
      const session = await s;
      const sessionMs = performance.now() - t0;
      const feeds: Record<string, OrtNode.Tensor> = {};
      for (const [name, t] of Object.entries(inputs)) feeds[name] = new ort.Tensor('float32', t.data, [...t.dims]);
      onProgress({ stage: 'run', fraction: 0.2, message: `running ${pointsOf(inputs)} points on node-cpu`, backend });
      const t1 = performance.now();
      const result = await session.run(feeds);
      const ms = performance.now() - t1;
      if (signal.aborted) return { ok: false, error: { code: 'cancelled', message: 'cancelled', backend } };
      const outputs: Record<string, { data: Float32Array; dims: number[] }> = {};
      for (const [name, t] of Object.entries(result)) {
        if (!(t.data instanceof Float32Array)) return { ok: false, error: { code: 'run-failed', message: `output '${name}' is ${t.type}, expected float32`, backend } };
        outputs[name] = { data: t.data, dims: [...t.dims] };
      }
      onProgress({ stage: 'done', fraction: 1, message: `node-cpu: ${ms.toFixed(0)} ms`, backend });
      return { ok: true, outputs, ms, sessionMs };
    } catch (e) {
      return { ok: false, error: { code: 'run-failed', message: `node-cpu: ${errorMessage(e)}`, backend } };
    }
  }

  async dispose(): Promise<void> {
    for (const s of this.sessions.values()) {
      try { await (await s).release(); } catch { /* gone */ }
    }
    this.sessions.clear();
  }
}

export interface NodeRuntimeOptions {
  /** Which back ends to register (default: wasm, webgpu, node-cpu, engine). */
  readonly backends?: readonly BackendName[];
  /** wasm threads (default: FLARE_WASM_THREADS or min(4, cores)). */
  readonly wasmThreads?: number;
  /** More back ends, registered after the built-in ones (a same-named one replaces it). */
  readonly extra?: readonly Backend[];
}

export function defaultWasmThreads(): number {
  const env = Number(process.env.FLARE_WASM_THREADS);
  return Number.isInteger(env) && env > 0 ? env : Math.min(4, os.availableParallelism());
}

/** A runtime with the Node back ends registered (Dawn is loaded only for webgpu or engine). */
export async function createNodeRuntime(opts: NodeRuntimeOptions = {}): Promise<FlareRuntime> {
  const want = opts.backends ?? ['wasm', 'webgpu', 'node-cpu', 'engine'];
  const rt = new FlareRuntime();
  const dir = findOrtDir();
  if (want.includes('wasm')) rt.register(new OrtBackend({ ep: 'wasm', loadOrt: loadOrtFrom(dir, 'wasm'), wasmPaths: dir, numThreads: opts.wasmThreads ?? defaultWasmThreads() }));
  if (want.includes('webgpu')) {
    const d = await installDawn();
    // On Dawn's SwiftShader adapter, onnxruntime-web's WebGPU EP blocks Node's event loop inside
    // its first run (measured: no timer fires for minutes, even at N = 4), so a software adapter
    // is refused here unless FLARE_ALLOW_SOFTWARE_WEBGPU=1; Chromium on SwiftShader works.
    const refuse = process.env.FLARE_ALLOW_SOFTWARE_WEBGPU === '1' ? undefined : 'onnxruntime-web WebGPU on a software adapter blocks Node (set FLARE_ALLOW_SOFTWARE_WEBGPU=1 to try anyway)';
    rt.register(new OrtBackend({ ep: 'webgpu', loadOrt: loadOrtFrom(dir, 'webgpu'), wasmPaths: dir, numThreads: 1, ...(d.ok ? { gpu: d.gpu } : { noGpuReason: d.reason }), ...(refuse ? { refuseSoftwareAdapter: refuse } : {}) }));
  }
  if (want.includes('node-cpu')) rt.register(new NodeCpuBackend());
  if (want.includes('engine')) {
    // The engine's own kernels do not block Node on SwiftShader (measured: timers keep firing
    // while it runs), so software adapters are allowed; `auto` only prefers it on hardware.
    const d = await installDawn();
    rt.register(new EngineBackend(d.ok ? { gpu: d.gpu } : { noGpuReason: d.reason }));
  }
  for (const b of opts.extra ?? []) rt.register(b);
  return rt;
}
