// The runtime: a registry of back ends, automatic choice, size limits, supersession of older
// requests, progress, and GPU-loss fallback. Pure: the caller registers back ends for its platform.
import {
  errorMessage, pointsOf, type AdapterInfo, type Backend, type BackendName, type ModelHandle, type ProgressListener,
  type RuntimeError, type Tensors,
} from './backend';

export type BackendChoice = 'auto' | BackendName;

export interface RunRequest {
  readonly model: ModelHandle;
  readonly inputs: Tensors;
  readonly backend?: BackendChoice;
  /** Requests on the same channel supersede each other: a new one cancels the older one. */
  readonly channel?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressListener;
}

export type RunResult =
  | {
      readonly ok: true;
      readonly outputs: Tensors;
      readonly backend: BackendName;
      readonly adapter?: AdapterInfo;
      /** Graph run time (ms), and session creation time (0 when cached). */
      readonly ms: number;
      readonly sessionMs: number;
      /** What happened on the way (fallbacks, hand-overs), for the user. */
      readonly notes: readonly string[];
    }
  | { readonly ok: false; readonly error: RuntimeError; readonly notes: readonly string[] };

/** A session made ready ahead of a run, on the back end the run would take first. */
export type PrepareResult =
  | { readonly ok: true; readonly backend: BackendName; readonly sessionMs: number; readonly notes: readonly string[] }
  | { readonly ok: false; readonly error: RuntimeError; readonly notes: readonly string[] };

export interface BackendStatus {
  readonly name: BackendName;
  readonly ok: boolean;
  readonly detail: string;
  readonly adapter?: AdapterInfo;
}

export class FlareRuntime {
  private readonly backends = new Map<BackendName, Backend>();
  private readonly channels = new Map<string, AbortController>();

  constructor(backends: readonly Backend[] = []) {
    for (const b of backends) this.register(b);
  }

  /** One registry table: the engine (another module) registers itself here too. */
  register(backend: Backend): void {
    this.backends.set(backend.name, backend);
  }

  get(name: BackendName): Backend | undefined {
    return this.backends.get(name);
  }

  names(): BackendName[] {
    return [...this.backends.keys()];
  }

  async status(): Promise<BackendStatus[]> {
    const out: BackendStatus[] = [];
    for (const b of this.backends.values()) {
      const a = await b.available();
      out.push(a.ok ? { name: b.name, ok: true, detail: a.detail ?? '', ...(a.adapter ? { adapter: a.adapter } : {}) } : { name: b.name, ok: false, detail: a.reason });
    }
    return out;
  }

  /**
   * Candidate order for `auto`: the engine first for FLARE models from its `preferredFrom` size on
   * a hardware adapter, then a hardware WebGPU adapter, then CPU (onnxruntime-node where
   * registered, else wasm), then a software WebGPU adapter (SwiftShader is slower than wasm).
   * Back ends whose limit is below N are skipped; when none fits, the engine takes the job on any
   * adapter. The engine is probed only when one of those two cases can apply.
   */
  private async autoOrder(model: ModelHandle, n: number, notes: string[]): Promise<Backend[]> {
    const ok: Backend[] = [];
    let softwareGpu: Backend | undefined;
    for (const name of ['webgpu', 'node-cpu', 'wasm'] as const) {
      const b = this.backends.get(name);
      if (!b) continue;
      const a = await b.available();
      if (!a.ok) continue;
      if (name === 'webgpu' && a.adapter?.isFallbackAdapter) { softwareGpu = b; continue; }
      ok.push(b);
    }
    const order = [...ok, ...(softwareGpu ? [softwareGpu] : [])];
    const fit = order.filter((b) => b.maxPoints(model) >= n);
    const engine = this.backends.get('engine');
    const support = engine?.supports?.(model) ?? { ok: true as const };
    const from = engine && support.ok ? engine.preferredFrom?.(model) : undefined;
    const preferred = from !== undefined && n >= from;
    if (engine && support.ok && (preferred || fit.length === 0)) {
      const a = await engine.available();
      const fits = a.ok && engine.maxPoints(model) >= n;
      if (fits && preferred && !a.adapter?.isFallbackAdapter) return [engine, ...fit];
      if (fits && fit.length === 0) {
        notes.push(`${n} points exceed every onnxruntime back end's limit: handed to the FLARE engine`);
        return [engine];
      }
      if (fit.length === 0) notes.push(a.ok ? `engine skipped: ${n} points exceed its limit of ${engine.maxPoints(model)} (${engine.describeLimit?.(model) ?? ''})` : `engine: ${a.reason}`);
    } else if (engine && !support.ok && fit.length === 0) {
      notes.push(`engine: ${support.reason}`);
    }
    for (const b of order) {
      if (fit.includes(b)) continue;
      const why = b.describeLimit?.(model);
      notes.push(`${b.name} skipped: ${n} points exceed its limit of ${b.maxPoints(model)}${why ? ` (${why})` : ''}`);
    }
    return fit;
  }

  /** The engine when it can take a job another back end is too small for. */
  private async engineFor(model: ModelHandle, n: number, instead: Backend): Promise<Backend | undefined> {
    const engine = this.backends.get('engine');
    if (!engine || engine === instead || engine.supports?.(model).ok === false) return undefined;
    return (await engine.available()).ok && engine.maxPoints(model) >= n ? engine : undefined;
  }

  /** Runs a request; never rejects. */
  async run(req: RunRequest): Promise<RunResult> {
    const notes: string[] = [];
    const onProgress: ProgressListener = req.onProgress ?? (() => undefined);
    // Supersession: the newest request on a channel wins.
    const ctl = new AbortController();
    if (req.channel !== undefined) {
      this.channels.get(req.channel)?.abort();
      this.channels.set(req.channel, ctl);
    }
    const onOuterAbort = (): void => ctl.abort();
    req.signal?.addEventListener('abort', onOuterAbort, { once: true });
    if (req.signal?.aborted) ctl.abort();
    try {
      return await this.runInner(req, ctl.signal, onProgress, notes);
    } catch (e) {
      return { ok: false, error: { code: 'run-failed', message: `internal error: ${errorMessage(e)}` }, notes };
    } finally {
      req.signal?.removeEventListener('abort', onOuterAbort);
      if (req.channel !== undefined && this.channels.get(req.channel) === ctl) this.channels.delete(req.channel);
    }
  }

  /** The back ends a run of `n` points would try, in order (one decision for runs and `prepare`). */
  private async candidates(model: ModelHandle, n: number, choice: BackendChoice, notes: string[]): Promise<{ ok: true; list: Backend[] } | { ok: false; error: RuntimeError }> {
    if (choice === 'auto') {
      const list = await this.autoOrder(model, n, notes);
      if (list.length > 0) return { ok: true, list };
      const why = notes.length > 0 ? notes.join('; ') : 'no back end is available';
      return { ok: false, error: { code: notes.length > 0 ? 'too-large' : 'unavailable', message: `cannot run ${n} points: ${why}` } };
    }
    const b = this.backends.get(choice);
    if (!b) return { ok: false, error: { code: 'unavailable', message: `back end '${choice}' is not registered here (have: ${this.names().join(', ') || 'none'})`, backend: choice } };
    const a = await b.available();
    if (!a.ok) return { ok: false, error: { code: 'unavailable', message: a.reason, backend: choice } };
    const support = b.supports?.(model);
    if (support && !support.ok) return { ok: false, error: { code: 'unavailable', message: support.reason, backend: choice } };
    const max = b.maxPoints(model);
    if (n <= max) return { ok: true, list: [b] };
    const engine = await this.engineFor(model, n, b);
    if (engine) {
      notes.push(`${n} points exceed the ${choice} limit of ${max}: handed to the FLARE engine`);
      return { ok: true, list: [engine] };
    }
    const why = b.describeLimit?.(model);
    return { ok: false, error: { code: 'too-large', message: `${n} points exceed the ${choice} back end's limit of ${max} points for this model${why ? `: ${why}` : ''}`, backend: choice } };
  }

  /**
   * Makes the session a run of `n` points would need ready on the back end that run would take
   * first (a deck or its preview opened: the first Predict should not wait for it). Never rejects.
   */
  async prepare(model: ModelHandle, n: number, choice: BackendChoice = 'auto'): Promise<PrepareResult> {
    const notes: string[] = [];
    try {
      const c = await this.candidates(model, Math.max(1, n), choice, notes);
      if (!c.ok) return { ok: false, error: c.error, notes };
      const b = c.list[0];
      if (!b.prepare) return { ok: true, backend: b.name, sessionMs: 0, notes: [...notes, `${b.name} prepares on its first run`] };
      const r = await b.prepare(model);
      return r.ok ? { ok: true, backend: b.name, sessionMs: r.sessionMs, notes } : { ok: false, error: r.error, notes };
    } catch (e) {
      return { ok: false, error: { code: 'run-failed', message: `internal error: ${errorMessage(e)}` }, notes };
    }
  }

  private async runInner(req: RunRequest, signal: AbortSignal, onProgress: ProgressListener, notes: string[]): Promise<RunResult> {
    const n = pointsOf(req.inputs);
    if (n <= 0) return { ok: false, error: { code: 'bad-input', message: 'no [B, N, F] input tensor with N > 0' }, notes };
    for (const [name, t] of Object.entries(req.inputs)) {
      const count = t.dims.reduce((a, b) => a * b, 1);
      if (count !== t.data.length) return { ok: false, error: { code: 'bad-input', message: `input '${name}': dims [${t.dims.join(', ')}] hold ${count} values, data has ${t.data.length}` }, notes };
    }
    onProgress({ stage: 'queued', fraction: 0, message: `${n} points` });
    const choice = req.backend ?? 'auto';
    const c = await this.candidates(req.model, n, choice, notes);
    if (!c.ok) return { ok: false, error: c.error, notes };
    const candidates = c.list;
    let last: RuntimeError | undefined;
    for (let i = 0; i < candidates.length; i++) {
      const b = candidates[i];
      const r = await b.run(req.model, req.inputs, signal, onProgress);
      if (r.ok) {
        const a = await b.available();
        return { ok: true, outputs: r.outputs, backend: b.name, ...(a.ok && a.adapter ? { adapter: a.adapter } : {}), ms: r.ms, sessionMs: r.sessionMs, notes };
      }
      last = r.error;
      if (r.error.code === 'cancelled' || r.error.code === 'bad-input') break;
      if (r.error.code === 'device-lost') {
        // GPU gone: fall back to WebAssembly (or CPU) and say so.
        const wasm = this.backends.get('wasm') ?? this.backends.get('node-cpu');
        if (wasm && wasm !== b && !candidates.slice(i + 1).includes(wasm)) candidates.push(wasm);
        notes.push(`${b.name}: ${r.error.message}; falling back to ${candidates[i + 1]?.name ?? 'nothing'}`);
        continue;
      }
      if (choice !== 'auto') break;
      notes.push(`${b.name} failed: ${r.error.message}`);
    }
    return { ok: false, error: last ?? { code: 'unavailable', message: 'no back end ran' }, notes };
  }

  async dispose(): Promise<void> {
    for (const c of this.channels.values()) c.abort();
    for (const b of this.backends.values()) await b.dispose();
  }
}
