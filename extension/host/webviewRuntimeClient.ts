// Host side of the runtime bridge (extension/core/runtime/bridge.ts runs in the webview): a runtime back
// end whose `run` posts `predictRun` to a webview and resolves with its `predictResult`. The model's
// bytes travel once per webview page; output arrays come back as transferred ArrayBuffers.
import { BACKEND_NAMES, type Availability, type Backend, type BackendName, type BackendRun, type ModelHandle, type ProgressListener, type Tensors } from '../core/runtime/backend';
import type { HostToWebview, RuntimeBackendChoice, WebviewToHost } from '../core/protocol/messages';

type Answer = Extract<WebviewToHost, { type: 'predictResult' | 'predictError' }>;

/** Which back end and adapter the webview used for one run (its own runtime chose among its back ends). */
export interface WebviewRunInfo {
  readonly backend: BackendName;
  readonly adapter?: string;
  readonly isFallbackAdapter?: boolean;
  readonly notes: readonly string[];
}

export class WebviewRuntimeClient implements Backend {
  /**
   * The host registers this client in a FlareRuntime of its own, which needs a back-end name; the
   * name the webview really used is in `infoFor`. 'wasm' is only the registry slot.
   */
  readonly name: BackendName = 'wasm';
  private nextId = 1;
  private readonly pending = new Map<number, { done: (a: Answer | { type: 'lost'; reason: string }) => void; onProgress: ProgressListener }>();
  /** Model keys the current webview page holds (a reload forgets them). */
  private readonly sentModels = new Set<string>();
  private readonly infos = new WeakMap<Float32Array, WebviewRunInfo>();

  constructor(
    private readonly post: (m: HostToWebview) => Thenable<boolean>,
    /** The flare.runtime.backend setting at the time of each run. */
    private readonly backendSetting: () => RuntimeBackendChoice,
  ) {}

  /** Takes the webview's runtime messages; returns false for any other message. */
  handle(msg: WebviewToHost): boolean {
    if (msg.type === 'predictProgress') {
      const p = this.pending.get(msg.requestId);
      const stage = msg.stage === 'queued' || msg.stage === 'session' || msg.stage === 'run' || msg.stage === 'done' ? msg.stage : 'run';
      p?.onProgress({ stage, fraction: msg.fraction, message: msg.message });
      return true;
    }
    if (msg.type === 'predictResult' || msg.type === 'predictError') {
      this.pending.get(msg.requestId)?.done(msg);
      this.pending.delete(msg.requestId);
      return true;
    }
    return false;
  }

  /** The page went away (reload, hidden, closed): runs in flight are lost and its model cache is gone. */
  reset(reason: string): void {
    this.sentModels.clear();
    for (const p of this.pending.values()) p.done({ type: 'lost', reason });
    this.pending.clear();
  }

  /** Back end, adapter and notes of the run that produced `outputData` (one of its output arrays). */
  infoFor(outputData: Float32Array): WebviewRunInfo | undefined {
    return this.infos.get(outputData);
  }

  available(): Promise<Availability> {
    return Promise.resolve({ ok: true, detail: 'in the preview webview' });
  }

  /** No limit here: the webview's runtime knows its device and refuses (`too-large`) what does not fit. */
  maxPoints(): number {
    return Number.MAX_SAFE_INTEGER;
  }

  run(model: ModelHandle, inputs: Tensors, signal: AbortSignal, onProgress: ProgressListener): Promise<BackendRun> {
    return this.runAs(this.backendSetting(), model, inputs, signal, onProgress);
  }

  /** One run with the webview's runtime told to use `choice` instead of the setting (the benchmark's rows). */
  async runAs(choice: RuntimeBackendChoice, model: ModelHandle, inputs: Tensors, signal: AbortSignal, onProgress: ProgressListener = () => undefined): Promise<BackendRun> {
    const sendModel = !this.sentModels.has(model.key);
    const r = await this.runOnce(choice, model, inputs, signal, onProgress, sendModel);
    // The page no longer has the model it was sent (it reloaded before we heard): send it again.
    if (!r.ok && r.error.code === 'bad-model' && !sendModel) return this.runOnce(choice, model, inputs, signal, onProgress, true);
    return r;
  }

  private async runOnce(choice: RuntimeBackendChoice, model: ModelHandle, inputs: Tensors, signal: AbortSignal, onProgress: ProgressListener, sendModel: boolean): Promise<BackendRun> {
    if (signal.aborted) return { ok: false, error: { code: 'cancelled', message: 'cancelled' } };
    const requestId = this.nextId++;
    const answer = new Promise<Answer | { type: 'lost'; reason: string }>((done) => this.pending.set(requestId, { done, onProgress }));
    const onAbort = (): void => {
      void this.post({ type: 'predictCancel', requestId });
      this.pending.get(requestId)?.done({ type: 'lost', reason: 'cancelled' });
      this.pending.delete(requestId);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const delivered = await this.post({
        // A plain Uint8Array: VS Code serializes typed arrays by constructor name, and Node's Buffer
        // (what workspace.fs.readFile gives) would arrive as JSON, which the webview refuses.
        type: 'predictRun', requestId, key: model.key, model: sendModel ? new Uint8Array(model.bytes.buffer, model.bytes.byteOffset, model.bytes.byteLength) : new Uint8Array(0), backend: choice,
        inputs: Object.entries(inputs).map(([name, t]) => ({ name, data: t.data, dims: [...t.dims] })),
      });
      if (!delivered) {
        this.pending.delete(requestId);
        return { ok: false, error: { code: 'unavailable', message: 'the preview webview did not take the request (hidden or closed)' } };
      }
      if (sendModel) this.sentModels.add(model.key);
      const a = await answer;
      if (a.type === 'lost') return { ok: false, error: { code: a.reason === 'cancelled' ? 'cancelled' : 'unavailable', message: a.reason } };
      if (a.type === 'predictError') {
        // The page may have dropped the model (e.g. it failed to open): send it again next time.
        if (a.code === 'bad-model') this.sentModels.delete(model.key);
        const code = a.code === 'cancelled' || a.code === 'too-large' || a.code === 'device-lost' || a.code === 'unavailable' || a.code === 'bad-input' || a.code === 'bad-model' ? a.code : 'run-failed';
        return { ok: false, error: { code, message: a.message + (a.notes.length ? ` (${a.notes.join('; ')})` : '') } };
      }
      const backend = (BACKEND_NAMES as readonly string[]).includes(a.backend) ? (a.backend as BackendName) : undefined;
      if (!backend) return { ok: false, error: { code: 'run-failed', message: `the webview reported an unknown back end '${a.backend}'` } };
      const outputs: Record<string, { data: Float32Array; dims: readonly number[] }> = {};
      const info: WebviewRunInfo = { backend, ...(a.adapter ? { adapter: a.adapter } : {}), ...(a.isFallbackAdapter !== undefined ? { isFallbackAdapter: a.isFallbackAdapter } : {}), notes: a.notes };
      for (const o of a.outputs) {
        outputs[o.name] = { data: o.data, dims: o.dims };
        this.infos.set(o.data, info);
      }
      return { ok: true, outputs, ms: a.ms, sessionMs: a.sessionMs };
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  dispose(): Promise<void> {
    this.reset('the preview closed');
    return Promise.resolve();
  }
}
