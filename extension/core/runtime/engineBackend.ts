// The FLARE engine (extension/engine: WGSL kernels, memory O(N·C)) as the runtime back end `engine`.
// Same contract as the onnxruntime back ends; the same code in Node (Dawn's GPU) and in the browser
// (navigator.gpu). Only graphs the recognizer turns into a FlarePlan run here; others are refused
// with the recognizer's reason.
import { createFlareEngine, engineBufferBytes, type FlareEngine } from '../engine/flareEngine';
import { recognizeFlare } from '../engine/recognizeFlare';
import { isRefusal, type EngineRefusal, type FlareConfig, type FlarePlan } from '../engine/plan';
import {
  errorMessage, pointsOf, type AdapterInfo, type Availability, type Backend, type BackendRun, type ModelHandle,
  type ProgressListener, type Support, type Tensors,
} from './backend';
import { fmtBytes } from './limits';
import { adapterLabel, findAdapter, requestFullDevice, trackDeviceLoss } from './gpuDevice';

/**
 * From this many points `auto` prefers the engine on a hardware adapter (never on a software one:
 * on SwiftShader the engine measured slower than wasm at every size tried, see README.md). Not
 * measured on a GPU yet; at this size the ONNX graph's score tensors are H·M·N floats per block
 * (20 MB for H8 M64), the engine's per-point state is 3·C floats.
 */
export const ENGINE_PREFERRED_FROM = 10_000;

/** GPU memory the engine may fill (WebGPU does not report device memory): its buffers are engineBufferBytes. */
export const ENGINE_MEMORY_BUDGET = 4 * 1024 ** 3;

export interface EngineBackendOptions {
  /** The GPU to use (navigator.gpu in a browser, Dawn's in Node). */
  readonly gpu?: GPU;
  /** Why there is no `gpu` (e.g. Dawn failed to load), for the unavailability message. */
  readonly noGpuReason?: string;
  /** Stage weights and tiles in workgroup memory; default: on hardware adapters only (SwiftShader
   *  compiles kernels with barriers many times slower). */
  readonly stageInWorkgroupMemory?: boolean;
  /** Override of ENGINE_PREFERRED_FROM. */
  readonly preferredFrom?: number;
  /** Override of ENGINE_MEMORY_BUDGET (bytes). */
  readonly memoryBudget?: number;
  /** Cap on points per segment (tests force several segments). */
  readonly maxSegmentPoints?: number;
}

interface DeviceState {
  readonly device: GPUDevice;
  readonly adapter: AdapterInfo;
  readonly staged: boolean;
  lost?: string;
}

export class EngineBackend implements Backend {
  readonly name = 'engine' as const;
  private availability?: Promise<Availability>;
  private state?: DeviceState;
  private readonly plans = new Map<string, FlarePlan | EngineRefusal>();
  private readonly engines = new Map<string, Promise<FlareEngine | EngineRefusal>>();

  constructor(private readonly opts: EngineBackendOptions = {}) {}

  available(): Promise<Availability> {
    this.availability ??= this.probe();
    return this.availability;
  }

  private async probe(): Promise<Availability> {
    try {
      const found = await findAdapter(this.opts.gpu, this.opts.noGpuReason);
      if (!found.ok) return found;
      const info = found.info;
      // Segments are sized by the storage binding limit: ask for the adapter's full limits.
      const device = await requestFullDevice(found.adapter);
      const state: DeviceState = { device, adapter: info, staged: this.opts.stageInWorkgroupMemory ?? !info.isFallbackAdapter };
      trackDeviceLoss(state);
      this.state = state;
      return { ok: true, adapter: info, detail: `FLARE engine on ${adapterLabel(info)}${state.staged ? '' : ', unstaged kernels'}` };
    } catch (e) {
      return { ok: false, reason: `engine back end failed to start: ${errorMessage(e)}` };
    }
  }

  get adapter(): AdapterInfo | undefined {
    return this.state?.adapter;
  }

  /** The recognizer's plan for a model (cached per key), or its refusal. */
  private plan(model: ModelHandle): FlarePlan | EngineRefusal {
    let p = this.plans.get(model.key);
    if (!p) {
      p = recognizeFlare(model.bytes);
      this.plans.set(model.key, p);
    }
    return p;
  }

  supports(model: ModelHandle): Support {
    const p = this.plan(model);
    return isRefusal(p) ? { ok: false, reason: notFlare(p) } : { ok: true };
  }

  preferredFrom(model: ModelHandle): number | undefined {
    return this.supports(model).ok ? this.opts.preferredFrom ?? ENGINE_PREFERRED_FROM : undefined;
  }

  private budget(): number {
    return this.opts.memoryBudget ?? ENGINE_MEMORY_BUDGET;
  }

  maxPoints(model: ModelHandle): number {
    const p = this.plan(model);
    if (isRefusal(p) || !this.state) return 0;
    return engineMaxPoints(p.config, this.state.adapter, this.budget());
  }

  describeLimit(model: ModelHandle): string {
    const p = this.plan(model);
    if (isRefusal(p)) return notFlare(p);
    if (!this.state) return 'no WebGPU adapter';
    const perPoint = engineBufferBytes(p.config, 2) - engineBufferBytes(p.config, 1);
    return `the FLARE engine holds about ${perPoint} bytes per point on the GPU (input, 3 × ${p.config.channels} channels, output and its readback) within a budget of ${fmtBytes(this.budget())}, and its readback buffer must fit the adapter's ${fmtBytes(this.state.adapter.maxBufferSize)} buffer limit`;
  }

  private engine(model: ModelHandle, plan: FlarePlan, state: DeviceState): { cached: boolean; engine: Promise<FlareEngine | EngineRefusal> } {
    const have = this.engines.get(model.key);
    if (have) return { cached: true, engine: have };
    const e = createFlareEngine(plan, state.device, { stageInWorkgroupMemory: state.staged, ...(this.opts.maxSegmentPoints ? { maxSegmentPoints: this.opts.maxSegmentPoints } : {}) });
    this.engines.set(model.key, e);
    // A refusal (device limits, WGSL) is deterministic and stays cached; a thrown error is retried.
    e.catch(() => { if (this.engines.get(model.key) === e) this.engines.delete(model.key); });
    return { cached: false, engine: e };
  }

  /** After a device loss the next request starts a fresh device (a GPU reset is recoverable). */
  private forgetDevice(): void {
    for (const e of this.engines.values()) void e.then((x) => { if (!isRefusal(x)) x.dispose(); }, () => undefined);
    this.engines.clear();
    this.state = undefined;
    this.availability = undefined;
  }

  async run(model: ModelHandle, inputs: Tensors, signal: AbortSignal, onProgress: ProgressListener): Promise<BackendRun> {
    const backend = 'engine' as const;
    const cancelled = (): BackendRun => ({ ok: false, error: { code: 'cancelled', message: 'cancelled: a newer request superseded this one, or the caller aborted', backend } });
    if (signal.aborted) return cancelled();
    const plan = this.plan(model);
    if (isRefusal(plan)) return { ok: false, error: { code: 'unavailable', message: notFlare(plan), backend } };
    const avail = await this.available();
    if (!avail.ok) return { ok: false, error: { code: 'unavailable', message: avail.reason, backend } };
    const state = this.state;
    if (!state) return { ok: false, error: { code: 'unavailable', message: 'no GPU device', backend } };
    const lostError = (when: string, detail?: string): BackendRun => {
      const message = `GPU device lost${when} (${state.lost})${detail ? `: ${detail}` : ''}`;
      this.forgetDevice();
      return { ok: false, error: { code: 'device-lost', message, backend } };
    };
    if (state.lost) return lostError('');
    const bad = checkInputs(plan, inputs);
    if (bad) return { ok: false, error: { code: bad.code, message: `engine: ${bad.message}`, backend } };
    const n = pointsOf(inputs);
    const max = this.maxPoints(model);
    if (n > max) return { ok: false, error: { code: 'too-large', message: `${n} points exceed the engine back end's limit of ${max} points for this model: ${this.describeLimit(model)}`, backend } };
    try {
      const t0 = performance.now();
      const { cached, engine } = this.engine(model, plan, state);
      onProgress({ stage: 'session', fraction: 0.05, message: cached ? 'engine kernels cached' : 'compiling FLARE engine kernels', backend });
      const e = await engine;
      const sessionMs = performance.now() - t0;
      if (isRefusal(e)) return { ok: false, error: { code: 'unavailable', message: `the FLARE engine cannot run this model on ${adapterLabel(state.adapter)}: ${e.reason}${e.at ? ` (at ${e.at})` : ''}`, backend } };
      if (signal.aborted) return cancelled();
      onProgress({ stage: 'run', fraction: 0.2, message: `running ${n} points on the FLARE engine`, backend });
      const feeds: Record<string, { data: Float32Array; dims: number[] }> = {};
      for (const [name, t] of Object.entries(inputs)) feeds[name] = { data: t.data, dims: [...t.dims] };
      const t1 = performance.now();
      const result = await e.runTensors(feeds, signal);
      const ms = performance.now() - t1;
      // The GPU cannot be interrupted mid-forward: a superseded result is dropped here.
      if (signal.aborted) return cancelled();
      if (state.lost) return lostError(' during the run');
      onProgress({ stage: 'done', fraction: 1, message: `engine: ${ms.toFixed(0)} ms`, backend });
      return { ok: true, outputs: result, ms, sessionMs };
    } catch (err) {
      if (signal.aborted) return cancelled();
      // The lost promise may settle just after the failing call: give it a turn.
      await new Promise((r) => setTimeout(r, 0));
      if (state.lost) return lostError('', errorMessage(err));
      return { ok: false, error: { code: 'run-failed', message: `engine: ${errorMessage(err)}`, backend } };
    }
  }

  /** Destroys the GPU device (tests use it to exercise the device-lost path). */
  loseDevice(): void {
    this.state?.device.destroy();
  }

  async dispose(): Promise<void> {
    const all = [...this.engines.values()];
    this.engines.clear();
    for (const e of all) {
      try { const x = await e; if (!isRefusal(x)) x.dispose(); } catch { /* never compiled */ }
    }
    this.state?.device.destroy();
    this.state = undefined;
    this.availability = undefined;
  }
}

/**
 * Largest N the engine runs on this adapter: its buffers (engineBufferBytes: O(N·C)) within
 * `budget`, and the output readback (one buffer of N·cout floats) within maxBufferSize.
 */
export function engineMaxPoints(config: FlareConfig, adapter: AdapterInfo, budget = ENGINE_MEMORY_BUDGET): number {
  const byReadback = Math.floor(adapter.maxBufferSize / (4 * config.cout));
  // engineBufferBytes is affine in N beyond 1024 chunks: solve, then step down while over.
  const perPoint = engineBufferBytes(config, 2 ** 30 + 1) - engineBufferBytes(config, 2 ** 30);
  let n = Math.max(0, Math.floor((budget - (engineBufferBytes(config, 2 ** 30) - perPoint * 2 ** 30)) / perPoint));
  while (n > 0 && engineBufferBytes(config, n) > budget) n--;
  return Math.min(byReadback, n);
}

const notFlare = (r: EngineRefusal): string => `the FLARE engine does not recognize this graph: ${r.reason}${r.at ? ` (at ${r.at})` : ''}`;

/** Inputs the engine can take: the network input [1, N, cin] and what the tail reads, batch 1. */
function checkInputs(plan: FlarePlan, inputs: Tensors): { code: 'bad-input' | 'unavailable'; message: string } | undefined {
  const x = inputs[plan.inputName];
  if (!x) return { code: 'bad-input', message: `missing input '${plan.inputName}' (have: ${Object.keys(inputs).join(', ') || 'none'})` };
  if (x.dims.length !== 3 || x.dims[2] !== plan.config.cin) return { code: 'bad-input', message: `input '${plan.inputName}' has dims [${x.dims.join(', ')}], expected [1, N, ${plan.config.cin}]` };
  // Batches other than 1: not an input error, onnxruntime runs them (auto moves on).
  if (x.dims[0] !== 1) return { code: 'unavailable', message: `the engine runs batch 1, input '${plan.inputName}' has batch ${x.dims[0]}` };
  for (const name of plan.tail?.inputs ?? []) {
    const t = inputs[name];
    if (!t) return { code: 'bad-input', message: `missing input '${name}'` };
    if (t.dims[0] !== 1) return { code: 'unavailable', message: `the engine runs batch 1, input '${name}' has batch ${t.dims[0]}` };
  }
  return undefined;
}
