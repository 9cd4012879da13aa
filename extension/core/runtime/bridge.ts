// Webview side of the runtime bridge: answers `predictRun` / `predictCancel` messages from the host
// with progress, a result or an error. Any webview bundle mounts it with its own FlareRuntime;
// requests on one channel supersede each other. The page keeps the outputs of its last runs (the
// result's arrays are copies): the host then only says which run to show (`showRun`).
import type { HostToWebview, WebviewToHost } from '../protocol/messages';
import type { RawOutputs } from './predictedFields';
import { openModel, type OpenedModel } from './model';
import type { FlareRuntime } from './runtime';

type PredictRun = Extract<HostToWebview, { type: 'predictRun' }>;

export type Post = (message: WebviewToHost, transfer?: Transferable[]) => void;

export class RuntimeBridge {
  private readonly models = new Map<string, OpenedModel>();
  private readonly running = new Map<number, AbortController>();
  /** Outputs of the last runs by request id, oldest first. */
  private readonly kept = new Map<number, RawOutputs>();
  /** Two: a run's answer may reach the host after the next run started. */
  static readonly KEEP = 2;

  constructor(private readonly runtime: FlareRuntime, private readonly post: Post) {}

  /** Handles a validated host message; returns false when it is not a runtime message. */
  handle(msg: HostToWebview): boolean {
    if (msg.type === 'predictRun') {
      void this.run(msg);
      return true;
    }
    if (msg.type === 'predictCancel') {
      this.running.get(msg.requestId)?.abort();
      return true;
    }
    return false;
  }

  /** The outputs run `requestId` gave, while the page keeps them. */
  keptOutputs(requestId: number): RawOutputs | undefined {
    return this.kept.get(requestId);
  }

  private keep(requestId: number, outputs: RawOutputs): void {
    this.kept.set(requestId, outputs);
    for (const id of this.kept.keys()) if (this.kept.size > RuntimeBridge.KEEP) this.kept.delete(id);
  }

  private async run(msg: PredictRun): Promise<void> {
    const id = msg.requestId;
    try {
      // The model travels once per key; later requests may send an empty array.
      let model = this.models.get(msg.key);
      if (!model || msg.model.byteLength > 0) {
        const o = openModel(msg.model, msg.key);
        if (!o.ok) {
          this.post({ type: 'predictError', requestId: id, code: 'bad-model', message: o.error, notes: [] });
          return;
        }
        model = o.model;
        this.models.set(msg.key, model);
      }
      const ctl = new AbortController();
      this.running.set(id, ctl);
      const inputs: Record<string, { data: Float32Array; dims: readonly number[] }> = {};
      for (const t of msg.inputs) inputs[t.name] = { data: t.data, dims: t.dims };
      const r = await this.runtime.run({
        model: model.handle, inputs, backend: msg.backend, signal: ctl.signal,
        ...(msg.channel !== undefined ? { channel: msg.channel } : {}),
        onProgress: (p) => this.post({ type: 'predictProgress', requestId: id, stage: p.stage, fraction: p.fraction, message: p.message }),
      });
      this.running.delete(id);
      if (!r.ok) {
        this.post({ type: 'predictError', requestId: id, code: r.error.code, message: r.error.message, notes: [...r.notes] });
        return;
      }
      const outputs = Object.entries(r.outputs).map(([name, t]) => ({ name, data: t.data, dims: [...t.dims] }));
      // Not transferred: the page keeps these arrays (the host gets a copy either way).
      this.keep(id, r.outputs);
      this.post({
        type: 'predictResult', requestId: id, backend: r.backend, ms: r.ms, sessionMs: r.sessionMs, notes: [...r.notes], outputs,
        ...(r.adapter ? { adapter: [r.adapter.vendor, r.adapter.architecture].filter(Boolean).join(' '), isFallbackAdapter: r.adapter.isFallbackAdapter } : {}),
      });
    } catch (e) {
      this.running.delete(id);
      this.post({ type: 'predictError', requestId: id, code: 'run-failed', message: e instanceof Error ? e.message : String(e), notes: [] });
    }
  }
}
