// onnxruntime-web as a back end (wasm or WebGPU EP), the same code in Node and in the browser.
// The ORT module itself is loaded by the caller (`loadOrt`): in a webview from media/ort via its
// webview URI, in Node from media/ort on disk; nothing comes from a CDN.
import type * as OrtWeb from 'onnxruntime-web';
import {
  errorMessage, type AdapterInfo, type Availability, type Backend, type BackendPrepared, type BackendRun, type ModelHandle,
  type ProgressListener, type Tensors, pointsOf,
} from './backend';
import { webgpuLimitText, webgpuMaxPoints, wasmLimitText, wasmMaxPoints } from './limits';
import { adapterLabel, findAdapter, requestFullDevice, trackDeviceLoss } from './gpuDevice';

export type OrtModule = typeof OrtWeb;

export interface OrtBackendOptions {
  readonly ep: 'wasm' | 'webgpu';
  /** Returns the onnxruntime-web module (ort.wasm.min.mjs for wasm, ort.webgpu.min.mjs for webgpu). */
  readonly loadOrt: () => Promise<OrtModule>;
  /** Folder URL or path (ending in '/') holding the ort-wasm-simd-threaded*.{mjs,wasm} files. */
  readonly wasmPaths: string;
  /** Threads for the wasm EP; forced to 1 when not cross-origin isolated (webviews). */
  readonly numThreads?: number;
  /** The GPU to use (navigator.gpu in a browser, Dawn's in Node). */
  readonly gpu?: GPU;
  /** Why there is no `gpu` (e.g. Dawn failed to load), for the unavailability message. */
  readonly noGpuReason?: string;
  /** When set, a software (fallback) adapter is refused with this reason. */
  readonly refuseSoftwareAdapter?: string;
}

interface DeviceState {
  readonly device: GPUDevice;
  readonly adapter: AdapterInfo;
  lost?: string;
}

export class OrtBackend implements Backend {
  readonly name: 'wasm' | 'webgpu';
  private ort?: Promise<OrtModule>;
  private availability?: Promise<Availability>;
  private gpuState?: DeviceState;
  private readonly sessions = new Map<string, Promise<OrtWeb.InferenceSession>>();
  /** onnxruntime-web runs one request per session at a time: later ones wait here. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: OrtBackendOptions) {
    this.name = opts.ep;
  }

  available(): Promise<Availability> {
    this.availability ??= this.probe();
    return this.availability;
  }

  private async probe(): Promise<Availability> {
    try {
      if (this.opts.ep === 'webgpu') {
        const found = await findAdapter(this.opts.gpu, this.opts.noGpuReason);
        if (!found.ok) return found;
        const info = found.info;
        if (info.isFallbackAdapter && this.opts.refuseSoftwareAdapter) return { ok: false, reason: `${adapterLabel(info)}: ${this.opts.refuseSoftwareAdapter}` };
        const device = await requestFullDevice(found.adapter);
        const state: DeviceState = { device, adapter: info };
        trackDeviceLoss(state);
        this.gpuState = state;
        const ort = await this.module();
        ort.env.webgpu.device = device;
        return { ok: true, adapter: state.adapter, detail: adapterLabel(state.adapter) };
      }
      await this.module();
      return { ok: true, detail: `WebAssembly, ${this.threads()} thread(s)` };
    } catch (e) {
      return { ok: false, reason: `${this.opts.ep} back end failed to start: ${errorMessage(e)}` };
    }
  }

  private threads(): number {
    const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
    const isNode = typeof process !== 'undefined' && !!process.versions?.node;
    // Threads need SharedArrayBuffer: webviews are not cross-origin isolated.
    return isNode || isolated === true ? Math.max(1, this.opts.numThreads ?? 1) : 1;
  }

  private module(): Promise<OrtModule> {
    this.ort ??= this.opts.loadOrt().then((ort) => {
      ort.env.wasm.wasmPaths = this.opts.wasmPaths;
      ort.env.wasm.numThreads = this.threads();
      ort.env.wasm.proxy = false;
      ort.env.logLevel = 'error';
      return ort;
    });
    return this.ort;
  }

  get adapter(): AdapterInfo | undefined {
    return this.gpuState?.adapter;
  }

  get deviceLost(): string | undefined {
    return this.gpuState?.lost;
  }

  maxPoints(model: ModelHandle): number {
    if (this.opts.ep === 'webgpu') return this.gpuState ? webgpuMaxPoints(model, this.gpuState.adapter) : 0;
    return wasmMaxPoints(model);
  }

  describeLimit(model: ModelHandle): string {
    if (this.opts.ep === 'webgpu') return this.gpuState ? webgpuLimitText(model, this.gpuState.adapter) : 'no WebGPU adapter';
    return wasmLimitText(model);
  }

  private session(model: ModelHandle): Promise<OrtWeb.InferenceSession> {
    let s = this.sessions.get(model.key);
    if (!s) {
      s = this.module().then((ort) =>
        ort.InferenceSession.create(model.bytes, { executionProviders: [this.opts.ep], graphOptimizationLevel: 'all' }));
      this.sessions.set(model.key, s);
      // A failed creation is not cached: the next request retries.
      s.catch(() => this.sessions.delete(model.key));
    }
    return s;
  }

  async prepare(model: ModelHandle): Promise<BackendPrepared> {
    const backend = this.name;
    const avail = await this.available();
    if (!avail.ok) return { ok: false, error: { code: 'unavailable', message: avail.reason, backend } };
    const t0 = performance.now();
    const cached = this.sessions.has(model.key);
    try {
      await this.session(model);
      return { ok: true, sessionMs: cached ? 0 : performance.now() - t0 };
    } catch (e) {
      return { ok: false, error: { code: 'bad-model', message: `${backend}: ${errorMessage(e)}`, backend } };
    }
  }

  async run(model: ModelHandle, inputs: Tensors, signal: AbortSignal, onProgress: ProgressListener): Promise<BackendRun> {
    const job = this.chain.then(() => this.runNow(model, inputs, signal, onProgress));
    this.chain = job.catch(() => undefined);
    return job;
  }

  private async runNow(model: ModelHandle, inputs: Tensors, signal: AbortSignal, onProgress: ProgressListener): Promise<BackendRun> {
    const backend = this.name;
    const cancelled = (): BackendRun => ({ ok: false, error: { code: 'cancelled', message: 'cancelled: a newer request superseded this one, or the caller aborted', backend } });
    if (signal.aborted) return cancelled();
    const avail = await this.available();
    if (!avail.ok) return { ok: false, error: { code: 'unavailable', message: avail.reason, backend } };
    if (this.gpuState?.lost) return { ok: false, error: { code: 'device-lost', message: `GPU device lost (${this.gpuState.lost})`, backend } };
    const n = pointsOf(inputs);
    const max = this.maxPoints(model);
    if (n > max) return { ok: false, error: { code: 'too-large', message: `${n} points exceed the ${backend} back end's limit of ${max} points for this model: ${this.describeLimit(model)}`, backend } };
    try {
      const ort = await this.module();
      const t0 = performance.now();
      const cached = this.sessions.has(model.key);
      onProgress({ stage: 'session', fraction: 0.05, message: cached ? 'session cached' : 'creating onnxruntime session', backend });
      const session = await this.session(model);
      const sessionMs = performance.now() - t0;
      if (signal.aborted) return cancelled();
      const feeds: Record<string, OrtWeb.Tensor> = {};
      for (const [name, t] of Object.entries(inputs)) feeds[name] = new ort.Tensor('float32', t.data, [...t.dims]);
      onProgress({ stage: 'run', fraction: 0.2, message: `running ${n} points on ${backend}`, backend });
      const t1 = performance.now();
      const result = await session.run(feeds);
      const ms = performance.now() - t1;
      // onnxruntime-web cannot interrupt a running graph: a superseded result is dropped here.
      if (signal.aborted) return cancelled();
      const lost = this.gpuState?.lost;
      if (lost) return { ok: false, error: { code: 'device-lost', message: `GPU device lost during the run (${lost})`, backend } };
      const outputs: Record<string, { data: Float32Array; dims: number[] }> = {};
      for (const [name, t] of Object.entries(result)) {
        const data = t.data;
        if (!(data instanceof Float32Array)) return { ok: false, error: { code: 'run-failed', message: `output '${name}' is ${t.type}, expected float32`, backend } };
        outputs[name] = { data, dims: [...t.dims] };
      }
      onProgress({ stage: 'done', fraction: 1, message: `${backend}: ${ms.toFixed(0)} ms`, backend });
      return { ok: true, outputs, ms, sessionMs };
    } catch (e) {
      const lost = this.gpuState?.lost;
      if (lost) return { ok: false, error: { code: 'device-lost', message: `GPU device lost (${lost}): ${errorMessage(e)}`, backend } };
      return { ok: false, error: { code: 'run-failed', message: `${backend}: ${errorMessage(e)}`, backend } };
    }
  }

  /** Destroys the GPU device (tests use it to exercise the device-lost path). */
  loseDevice(): void {
    this.gpuState?.device.destroy();
  }

  async dispose(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    for (const s of all) {
      try { await (await s).release(); } catch { /* already gone */ }
    }
  }
}
