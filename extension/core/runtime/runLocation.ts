// Where a prediction of a file with an open preview runs: in the preview's webview or in the
// extension host. One decision for predictions and for the sessions made ready on open.
import type { RuntimeBackendChoice } from '../protocol/messages';

/** What the webview's probe found (messages.ts `probeResult`). */
export interface WebviewCompute {
  readonly webgpu: boolean;
  readonly isFallbackAdapter?: boolean;
}

/**
 * Largest deck the extension host runs in place of a preview without a hardware GPU: onnxruntime's
 * wasm holds the host's thread while it runs, about 0.13 ms per node with 2 threads on the 2-core
 * test machine (bracket-01: 8,504 nodes in 1.2 s), so about 2.6 s here; larger decks stay in the webview,
 * where a run blocks nothing (README, latency).
 */
export const HOST_MAX_POINTS = 20_000;

/**
 * A named back end (`flare.runtime.backend`) is one of the webview's runtime: the webview runs it.
 * On `auto`, a hardware WebGPU adapter makes the webview the better place. Without one the webview
 * has single-threaded WebAssembly (VS Code webviews are not cross-origin isolated, so no wasm
 * threads), 1.3–2.3× slower than the host's threaded wasm on bracket-01, so the host runs decks
 * up to HOST_MAX_POINTS.
 */
export function runInWebview(setting: RuntimeBackendChoice, compute: WebviewCompute | undefined, points: number): boolean {
  if (setting !== 'auto') return true;
  if (compute?.webgpu === true && compute.isFallbackAdapter !== true) return true;
  return points > HOST_MAX_POINTS;
}
