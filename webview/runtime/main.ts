// Webview entry of the model runtime: mounts the runtime bridge (predictRun / predictCancel) on a
// FlareRuntime with onnxruntime-web loaded from the extension's media/ort (via its webview URI).
import { parseHostToWebview, type WebviewToHost } from '../../extension/protocol/messages';
import { createBrowserRuntime } from '../../extension/runtime/browser';
import { RuntimeBridge } from '../../extension/runtime/bridge';

interface VsCodeApi { postMessage(message: WebviewToHost, transfer?: Transferable[]): void }
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const media = document.body.dataset.media ?? '';
const runtime = createBrowserRuntime({ ortBase: `${media}/ort/` });
const bridge = new RuntimeBridge(runtime, (m, transfer) => vscode.postMessage(m, transfer));

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const msg = parseHostToWebview(event.data);
  if (!msg) {
    vscode.postMessage({ type: 'log', level: 'warn', message: 'runtime webview: dropped a malformed message' });
    return;
  }
  bridge.handle(msg);
});

vscode.postMessage({ type: 'ready' });
