// Browser side of the runtime (webviews, browser tests): onnxruntime-web loaded at run time from
// the extension's media/ort folder (a webview URI), never from a CDN; WebGPU from navigator.gpu.
import { EngineBackend } from './engineBackend';
import { OrtBackend, type OrtModule } from './ortBackend';
import { FlareRuntime } from './runtime';
import type { Backend, BackendName } from './backend';

export interface BrowserRuntimeOptions {
  /** URL of the media/ort folder, ending in '/' (webview: asWebviewUri(media/ort) + '/'). */
  readonly ortBase: string;
  /** Default: webgpu, wasm, engine. */
  readonly backends?: readonly BackendName[];
  /** wasm threads when cross-origin isolated (webviews are not: always 1 there). */
  readonly wasmThreads?: number;
  /** More back ends (a same-named one replaces the built-in). */
  readonly extra?: readonly Backend[];
}

function loader(url: string): () => Promise<OrtModule> {
  // A run-time URL: esbuild leaves a non-literal import() alone, so ORT stays out of the bundle.
  return async () => (await import(/* @vite-ignore */ url)) as OrtModule;
}

export function createBrowserRuntime(opts: BrowserRuntimeOptions): FlareRuntime {
  const base = opts.ortBase.endsWith('/') ? opts.ortBase : opts.ortBase + '/';
  const want = opts.backends ?? ['webgpu', 'wasm', 'engine'];
  const rt = new FlareRuntime();
  const threads = opts.wasmThreads ?? Math.min(4, navigator.hardwareConcurrency || 1);
  if (want.includes('wasm')) rt.register(new OrtBackend({ ep: 'wasm', loadOrt: loader(base + 'ort.wasm.min.mjs'), wasmPaths: base, numThreads: threads }));
  if (want.includes('webgpu')) {
    const gpu = typeof navigator !== 'undefined' ? navigator.gpu : undefined;
    rt.register(new OrtBackend({ ep: 'webgpu', loadOrt: loader(base + 'ort.webgpu.min.mjs'), wasmPaths: base, numThreads: 1, ...(gpu ? { gpu } : {}) }));
  }
  if (want.includes('engine')) {
    const gpu = typeof navigator !== 'undefined' ? navigator.gpu : undefined;
    rt.register(new EngineBackend(gpu ? { gpu } : {}));
  }
  for (const b of opts.extra ?? []) rt.register(b);
  return rt;
}
