// The back-end–neutral contract of the runtime: every place a model can run (onnxruntime-web wasm or
// WebGPU, onnxruntime-node CPU, the FLARE engine) is one `Backend`; the runtime picks among them.
import type { OnnxInfo } from '../model/onnxInfo';

export type BackendName = 'wasm' | 'webgpu' | 'engine' | 'node-cpu';
export const BACKEND_NAMES: readonly BackendName[] = ['wasm', 'webgpu', 'engine', 'node-cpu'];

/** A dense float32 tensor in C order. */
export interface Tensor {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}
export type Tensors = Readonly<Record<string, Tensor>>;

/** Attention geometry of a FLARE graph: what sizes the N×M score tensors the ONNX graph materializes. */
export interface AttentionShape {
  readonly heads: number;
  readonly latents: number;
  /** Hidden channels when known (per-point activations), else undefined. */
  readonly channels?: number;
}

/** A model ready to hand to back ends: bytes plus what was learnt about it once. */
export interface ModelHandle {
  /** Cache key (e.g. path + mtime, or a content hash); one session per key and back end. */
  readonly key: string;
  readonly bytes: Uint8Array;
  readonly info: OnnxInfo;
  /** Undefined when neither the card nor the graph told (size limits then use a conservative guess). */
  readonly attention?: AttentionShape;
}

export interface AdapterInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly description: string;
  readonly isFallbackAdapter: boolean;
  readonly maxBufferSize: number;
  readonly maxStorageBufferBindingSize: number;
}

export type RuntimeErrorCode =
  | 'cancelled' | 'too-large' | 'device-lost' | 'unavailable' | 'run-failed' | 'bad-input' | 'bad-model';

/** Errors are values: a stable code, a message for people, and which back end said it. */
export interface RuntimeError {
  readonly code: RuntimeErrorCode;
  readonly message: string;
  readonly backend?: BackendName;
}

export interface Progress {
  readonly stage: 'queued' | 'session' | 'run' | 'done';
  /** 0..1 over the whole request. */
  readonly fraction: number;
  readonly message: string;
  readonly backend?: BackendName;
}
export type ProgressListener = (p: Progress) => void;

export type Availability = { readonly ok: true; readonly adapter?: AdapterInfo; readonly detail?: string } | { readonly ok: false; readonly reason: string };

/** Whether a back end can run a model at all (the engine runs FLARE graphs only). */
export type Support = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export type BackendRun = { readonly ok: true; readonly outputs: Tensors; readonly ms: number; readonly sessionMs: number } | { readonly ok: false; readonly error: RuntimeError };

/** A session made ready before the first run (`sessionMs`: how long creating it took; 0 when it was cached). */
export type BackendPrepared = { readonly ok: true; readonly sessionMs: number } | { readonly ok: false; readonly error: RuntimeError };

export interface Backend {
  readonly name: BackendName;
  /** Probes once (cached); never throws. */
  available(): Promise<Availability>;
  /** Largest point count this back end runs for `model` without exceeding a device limit. */
  maxPoints(model: ModelHandle): number;
  /** Why the limit is what it is, for the refusal message. */
  describeLimit?(model: ModelHandle): string;
  /** Absent: every model. The engine refuses graphs its recognizer does not match, with the reason. */
  supports?(model: ModelHandle): Support;
  /** For auto selection: from this many points on this back end is preferred on a hardware
   *  adapter (the engine uses it); known before the (lazy) probe, so small jobs never probe it. */
  preferredFrom?(model: ModelHandle): number | undefined;
  run(model: ModelHandle, inputs: Tensors, signal: AbortSignal, onProgress: ProgressListener): Promise<BackendRun>;
  /** Creates and caches the session for `model` (loading the runtime's code), so that the first run
   *  does not wait for it. Absent: the back end prepares on its first run. Never rejects. */
  prepare?(model: ModelHandle): Promise<BackendPrepared>;
  /** Releases sessions and devices. */
  dispose(): Promise<void>;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Point count of the inputs: dimension 1 of the first rank-3 input ([B, N, F]). */
export function pointsOf(inputs: Tensors): number {
  for (const t of Object.values(inputs)) if (t.dims.length === 3) return t.dims[1];
  return 0;
}
