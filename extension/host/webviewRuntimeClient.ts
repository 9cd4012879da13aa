// Host side of the runtime bridge (extension/core/runtime/bridge.ts runs in the webview): the runner
// that posts `predictRun` to a preview's webview and resolves with its `predictResult`, reporting the
// back end and adapter the webview's own runtime chose. The model's bytes travel once per webview
// page; the page keeps the outputs it sends back, under the request id (`keptAs`).
import { BACKEND_NAMES, type BackendName, type ModelHandle, type ProgressListener, type Tensors } from '../core/runtime/backend';
import type { ModelRunner, RunnerOptions, RunnerResult } from '../core/runtime/runner';
import type { HostToWebview, RuntimeBackendChoice, WebviewToHost } from '../core/protocol/messages';

type Answer = Extract<WebviewToHost, { type: 'predictResult' | 'predictError' }>;

export class WebviewRuntimeClient implements ModelRunner {
  readonly kind = 'webview';
  readonly description = 'the preview webview';
  private nextId = 1;
  private readonly pending = new Map<number, { done: (a: Answer | { type: 'lost'; reason: string }) => void; onProgress: ProgressListener }>();
  /** Model keys the current webview page holds (a reload forgets them). */
  private readonly sentModels = new Set<string>();

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

  /** A run on the back end the flare.runtime.backend setting names (the webview's runtime picks for `auto`); no size limit here: the webview knows its device and refuses (`too-large`) what does not fit. */
  run(model: ModelHandle, inputs: Tensors, opts: RunnerOptions = {}): Promise<RunnerResult> {
    return this.runAs(this.backendSetting(), model, inputs, opts);
  }

  /** One run with the webview's runtime told to use `choice` instead of the setting (the benchmark's rows). */
  async runAs(choice: RuntimeBackendChoice, model: ModelHandle, inputs: Tensors, opts: RunnerOptions = {}): Promise<RunnerResult> {
    const sendModel = !this.sentModels.has(model.key);
    const r = await this.runOnce(choice, model, inputs, opts, sendModel);
    // The page no longer has the model it was sent (it reloaded before we heard): send it again.
    if (!r.ok && r.error.code === 'bad-model' && !sendModel) return this.runOnce(choice, model, inputs, opts, true);
    return r;
  }

  private async runOnce(choice: RuntimeBackendChoice, model: ModelHandle, inputs: Tensors, opts: RunnerOptions, sendModel: boolean): Promise<RunnerResult> {
    const signal = opts.signal;
    const onProgress: ProgressListener = opts.onProgress ?? (() => undefined);
    const failed = (code: Extract<RunnerResult, { ok: false }>['error']['code'], message: string, notes: readonly string[] = []): RunnerResult => ({ ok: false, error: { code, message }, notes });
    if (signal?.aborted) return failed('cancelled', 'cancelled');
    const requestId = this.nextId++;
    const answer = new Promise<Answer | { type: 'lost'; reason: string }>((done) => this.pending.set(requestId, { done, onProgress }));
    const onAbort = (): void => {
      void this.post({ type: 'predictCancel', requestId });
      this.pending.get(requestId)?.done({ type: 'lost', reason: 'cancelled' });
      this.pending.delete(requestId);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const delivered = await this.post({
        // A plain Uint8Array: VS Code serializes typed arrays by constructor name, and Node's Buffer
        // (what workspace.fs.readFile gives) would arrive as JSON, which the webview refuses.
        type: 'predictRun', requestId, key: model.key, model: sendModel ? new Uint8Array(model.bytes.buffer, model.bytes.byteOffset, model.bytes.byteLength) : new Uint8Array(0), backend: choice,
        inputs: Object.entries(inputs).map(([name, t]) => ({ name, data: t.data, dims: [...t.dims] })),
        ...(opts.channel !== undefined ? { channel: opts.channel } : {}),
      });
      if (!delivered) {
        this.pending.delete(requestId);
        return failed('unavailable', 'the preview webview did not take the request (hidden or closed)');
      }
      if (sendModel) this.sentModels.add(model.key);
      const a = await answer;
      if (a.type === 'lost') return failed(a.reason === 'cancelled' ? 'cancelled' : 'unavailable', a.reason);
      if (a.type === 'predictError') {
        // The page may have dropped the model (e.g. it failed to open): send it again next time.
        if (a.code === 'bad-model') this.sentModels.delete(model.key);
        const code = a.code === 'cancelled' || a.code === 'too-large' || a.code === 'device-lost' || a.code === 'unavailable' || a.code === 'bad-input' || a.code === 'bad-model' ? a.code : 'run-failed';
        return failed(code, a.message, a.notes);
      }
      const backend = (BACKEND_NAMES as readonly string[]).includes(a.backend) ? (a.backend as BackendName) : undefined;
      if (!backend) return failed('run-failed', `the webview reported an unknown back end '${a.backend}'`, a.notes);
      const outputs: Record<string, { data: Float32Array; dims: readonly number[] }> = {};
      for (const o of a.outputs) outputs[o.name] = { data: o.data, dims: o.dims };
      return { ok: true, outputs, backend, ...(a.adapter ? { adapter: a.adapter } : {}), ms: a.ms, sessionMs: a.sessionMs, notes: a.notes, keptAs: requestId };
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  dispose(): void {
    this.reset('the preview closed');
  }
}
