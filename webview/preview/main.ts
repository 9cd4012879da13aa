// Webview entry for the mesh preview and the runtime panel. Runs in the browser: no Node, no `vscode`.
import { parseHostToWebview, type WebviewToHost } from '../../extension/protocol/messages';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') as HTMLElement;

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

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const msg = parseHostToWebview(event.data);
  if (!msg) {
    vscode.postMessage({ type: 'log', level: 'warn', message: 'dropped malformed message from host' });
    return;
  }
  if (msg.type === 'init') {
    render(msg.fileName, [['Format', msg.format], ['Size', `${(msg.byteLength / 1024).toFixed(1)} KiB`]]);
  } else if (msg.type === 'probe') {
    void probe().then((r) => {
      render('FLARE runtime', [['WebGPU', r.webgpu ? 'available' : 'not available'], ['Adapter', r.adapter ?? '—'], ['Software adapter', r.isFallbackAdapter ? 'yes' : 'no']]);
      vscode.postMessage(r);
    });
  }
});

vscode.postMessage({ type: 'ready' });
