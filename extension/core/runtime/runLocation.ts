// Where a prediction of a file with an open preview runs: in the preview's webview or in the
// extension host. One decision for predictions and for the sessions made ready on open.
import type { RuntimeBackendChoice } from '../protocol/messages';

/** What the webview's probe found (messages.ts `probeResult`). */
export interface WebviewCompute {
  readonly webgpu: boolean;
  readonly isFallbackAdapter?: boolean;
}

/**
 * A named back end (`flare.runtime.backend`) is one of the webview's runtime: the webview runs it.
 * On `auto`, only a hardware WebGPU adapter makes the webview the better place: without one the
 * webview has single-threaded WebAssembly (VS Code webviews are not cross-origin isolated, so no
 * wasm threads), while the host has threaded wasm or onnxruntime-node (README, latency).
 */
export function runInWebview(setting: RuntimeBackendChoice, compute: WebviewCompute | undefined): boolean {
  if (setting !== 'auto') return true;
  return compute?.webgpu === true && compute.isFallbackAdapter !== true;
}
