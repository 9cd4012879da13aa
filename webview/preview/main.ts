// Webview entry for the mesh preview and the runtime info panel. Runs in the browser: no Node, no `vscode`.
// The preview also runs predictions for its file (the runtime bridge), so the model uses this
// webview's WebGPU adapter or WebAssembly instead of the extension host's CPU.
import { parseHostToWebview, type HostToWebview, type WebviewToHost } from '../../extension/core/protocol/messages';
import { mountRuntime, refuseMalformedRun, showRunFields } from '../runtime/mountRuntime';
import { PreviewApp, type PersistedState } from './previewApp';

interface VsCodeApi {
  postMessage(message: WebviewToHost, transfer?: Transferable[]): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') as HTMLElement;
let preview: PreviewApp | undefined;
const runtime = mountRuntime((m, transfer) => vscode.postMessage(m, transfer));

async function probe(): Promise<Extract<WebviewToHost, { type: 'probeResult' }>> {
  const base = { type: 'probeResult' as const, userAgent: navigator.userAgent };
  if (!('gpu' in navigator) || !navigator.gpu) return { ...base, webgpu: false };
  try {
    const adapter = await navigator.gpu.requestAdapter();
    if (!adapter) return { ...base, webgpu: false };
    const info = adapter.info;
    const name = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ');
    return { ...base, webgpu: true, adapter: name || 'unnamed adapter', isFallbackAdapter: (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter ?? false };
  } catch (e) {
    vscode.postMessage({ type: 'log', level: 'warn', message: `WebGPU probe failed: ${String(e)}` });
    return { ...base, webgpu: false };
  }
}

function render(title: string, rows: [string, string][]): void {
  app.replaceChildren();
  const h = document.createElement('h2');
  h.textContent = title;
  const table = document.createElement('table');
  for (const [k, v] of rows) {
    const tr = table.insertRow();
    tr.insertCell().textContent = k;
    tr.insertCell().textContent = v;
  }
  app.append(h, table);
}

function previewApp(): PreviewApp {
  if (!preview) {
    document.body.classList.add('preview-body');
    preview = new PreviewApp(app, {
      getState: () => vscode.getState(),
      setState: (s: PersistedState) => vscode.setState(s),
      saveImage: (dataUrl, suggestedName) => vscode.postMessage({ type: 'saveImage', dataUrl, suggestedName }),
      log: (level, message) => vscode.postMessage({ type: 'log', level, message }),
    });
  }
  return preview;
}

function showField(msg: Omit<Extract<HostToWebview, { type: 'fields' }>, 'type'>): void {
  previewApp().field({ name: msg.name, components: msg.components, values: msg.values, ...(msg.unit ? { unit: msg.unit } : {}), association: msg.association ?? 'point', source: msg.source ?? 'prediction' }, msg.show ?? false);
}

/** A prediction this page ran: its arrays from the outputs it kept, as the host built them; else ask for them. */
function showRun(msg: Extract<HostToWebview, { type: 'showRun' }>): void {
  const r = showRunFields(msg, runtime.kept(msg.requestId));
  if (r.ok) {
    for (const f of r.fields) showField(f);
    return;
  }
  if (r.why) vscode.postMessage({ type: 'log', level: 'warn', message: r.why });
  vscode.postMessage(r.answer);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const msg = parseHostToWebview(event.data);
  if (!msg) {
    refuseMalformedRun(event.data, (m) => vscode.postMessage(m));
    vscode.postMessage({ type: 'log', level: 'warn', message: 'dropped malformed message from host' });
    return;
  }
  if (runtime.handle(msg)) return;
  try {
    switch (msg.type) {
      case 'init':
        previewApp().init(msg.fileName, msg.byteLength, msg.format);
        break;
      case 'previewProgress':
        previewApp().progressUpdate(msg.stage, msg.fraction);
        break;
      case 'previewError':
        previewApp().error(msg.message);
        break;
      case 'surface':
        previewApp().surface(msg);
        break;
      case 'fields':
        showField(msg);
        break;
      case 'showRun':
        showRun(msg);
        break;
      case 'previewSettings':
        previewApp().settings(msg.settings);
        break;
      case 'previewFocus': {
        // After the current load, so the node's values (fields sent with the file) are there.
        const p = previewApp();
        void p.loaded.then(() => p.focusNode(msg.node, msg.nodeId, msg.coords));
        break;
      }
      case 'previewCapture': {
        // Answered once everything sent so far is drawn, so tests see the finished view.
        const p = previewApp();
        void p.loaded.then(() => {
          const s = p.snapshot();
          vscode.postMessage({ type: 'previewCaptured', requestId: msg.requestId, dataUrl: s.dataUrl, state: s.state });
        });
        break;
      }
      case 'probe':
        void probe().then((r) => {
          render('FLARE runtime', [['WebGPU', r.webgpu ? 'available' : 'not available'], ['Adapter', r.adapter ?? '—'], ['Software adapter', r.isFallbackAdapter ? 'yes' : 'no']]);
          vscode.postMessage(r);
        });
        break;
    }
  } catch (e) {
    // A rendering failure is reported to the host log and shown, never left as an uncaught error.
    const message = e instanceof Error ? e.message : String(e);
    vscode.postMessage({ type: 'log', level: 'error', message: `preview: ${message}` });
    preview?.error(message);
  }
});

vscode.postMessage({ type: 'ready' });
