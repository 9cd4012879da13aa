// Where a model runs, behind one interface: in this process (the runtime's back ends: onnxruntime-node,
// onnxruntime-web wasm/WebGPU, the FLARE engine) or in a preview's webview (the host's bridge client).
// Each runner says what it is and which back end really ran; none stands in for another.
import { adapterLabel } from './gpuDevice';
import type { ModelHandle, ProgressListener, Tensors } from './backend';
import type { BackendChoice, FlareRuntime, PrepareResult, RunResult } from './runtime';

export type RunnerKind = 'in-process' | 'webview';

export interface RunnerOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressListener;
  /** Runs on the same channel supersede each other (a newer run of a file cancels the older). */
  readonly channel?: string;
}

type RunOk = Extract<RunResult, { ok: true }>;

/** The runtime's result, with the back end as the side that ran it reports it and its adapter in words. */
export type RunnerResult =
  | (Omit<RunOk, 'adapter'> & {
    readonly adapter?: string;
    /** A webview run: its page keeps the raw outputs under this id, to show them without getting them back. */
    readonly keptAs?: number;
  })
  | Extract<RunResult, { ok: false }>;

export interface ModelRunner {
  readonly kind: RunnerKind;
  /** Where it runs, for people ("the extension host (Node)", "the preview webview"). */
  readonly description: string;
  /** Never rejects. */
  run(model: ModelHandle, inputs: Tensors, opts?: RunnerOptions): Promise<RunnerResult>;
  /** Makes the session a run of `points` nodes would use ready ahead of it. Never rejects. */
  prepare?(model: ModelHandle, points: number): Promise<PrepareResult>;
}

/** A runtime of this process with a back-end choice. */
export class InProcessRunner implements ModelRunner {
  readonly kind = 'in-process';

  constructor(
    private readonly runtime: FlareRuntime,
    private readonly backend: BackendChoice = 'auto',
    readonly description = 'this process',
  ) {}

  async run(model: ModelHandle, inputs: Tensors, opts: RunnerOptions = {}): Promise<RunnerResult> {
    const r = await this.runtime.run({ model, inputs, backend: this.backend, ...opts });
    if (!r.ok) return r;
    return { ok: true, outputs: r.outputs, backend: r.backend, ...(r.adapter ? { adapter: adapterLabel(r.adapter) } : {}), ms: r.ms, sessionMs: r.sessionMs, notes: r.notes };
  }

  prepare(model: ModelHandle, points: number): Promise<PrepareResult> {
    return this.runtime.prepare(model, points, this.backend);
  }
}
