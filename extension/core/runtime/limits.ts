// Size limits per back end. onnxruntime's FLARE graph materializes the score tensor
// [B, H, M, N] (and its softmax and transpose) per block, so memory per point is dominated by
// H·M floats; per-point activations add a few C-wide tensors.
import type { AttentionShape, AdapterInfo, ModelHandle } from './backend';
import type { OnnxInfo } from '../model/onnxInfo';

/** Used when neither the card nor the graph gives the attention shape: a large FLARE (H8 M256). */
export const CONSERVATIVE_ATTENTION: AttentionShape = { heads: 8, latents: 256, channels: 128 };

/** Infers heads/latents from the latent-query initializer: [1, H, M, D] or [H, M, D] (torch export of q.view). */
export function attentionFromGraph(info: OnnxInfo): AttentionShape | undefined {
  for (const init of info.initializers) {
    const d = init.dims;
    const hmd = d.length === 4 && d[0] === 1 ? d.slice(1) : d.length === 3 ? d : undefined;
    if (hmd && hmd[0] > 1 && hmd[0] <= 64 && hmd[1] >= 4 && hmd[2] >= 1) {
      return { heads: hmd[0], latents: hmd[1], channels: hmd[0] * hmd[2] };
    }
  }
  return undefined;
}

export const scoreBytesPerPoint = (a: AttentionShape): number => a.heads * a.latents * 4;

/**
 * WebGPU: one score tensor must fit in one storage binding (and one buffer). ORT's WebGPU EP
 * allocates each intermediate as its own buffer, so the binding size is the hard limit.
 */
export function webgpuMaxPoints(model: ModelHandle, adapter: AdapterInfo): number {
  const a = model.attention ?? CONSERVATIVE_ATTENTION;
  const limit = Math.min(adapter.maxStorageBufferBindingSize, adapter.maxBufferSize);
  return Math.floor(limit / scoreBytesPerPoint(a));
}

export function webgpuLimitText(model: ModelHandle, adapter: AdapterInfo): string {
  const a = model.attention ?? CONSERVATIVE_ATTENTION;
  const limit = Math.min(adapter.maxStorageBufferBindingSize, adapter.maxBufferSize);
  return `the ONNX graph stores ${a.heads} heads × ${a.latents} latents × 4 bytes = ${scoreBytesPerPoint(a)} bytes of attention scores per point in one GPU buffer, and this adapter allows ${fmtBytes(limit)} per storage binding`;
}

/** wasm32: a 4 GiB address space; peak holds about four score tensors plus ~32 C-wide activations. */
export const WASM_MEMORY_BYTES = 4 * 1024 ** 3;
const WASM_USABLE = 0.8;

export function hostBytesPerPoint(model: ModelHandle): number {
  const a = model.attention ?? CONSERVATIVE_ATTENTION;
  return 4 * scoreBytesPerPoint(a) + 32 * 4 * (a.channels ?? 128);
}

export function wasmMaxPoints(model: ModelHandle): number {
  return Math.floor((WASM_MEMORY_BYTES * WASM_USABLE) / hostBytesPerPoint(model));
}

export function wasmLimitText(model: ModelHandle): string {
  return `WebAssembly has a 4 GiB address space and this model needs about ${fmtBytes(hostBytesPerPoint(model))} per point at its peak`;
}

export function fmtBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(n % 1024 ** 3 === 0 ? 0 : 2)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}
