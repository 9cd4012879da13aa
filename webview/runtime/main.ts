// Webview entry of the model runtime panel: only the runtime bridge (predictRun / predictCancel).
import { parseHostToWebview, type WebviewToHost } from '../../extension/protocol/messages';
import { mountRuntime, refuseMalformedRun } from './mountRuntime';

interface VsCodeApi { postMessage(message: WebviewToHost, transfer?: Transferable[]): void }
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const runtime = mountRuntime((m, transfer) => vscode.postMessage(m, transfer));

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const msg = parseHostToWebview(event.data);
  if (!msg) {
    refuseMalformedRun(event.data, (m) => vscode.postMessage(m));
    vscode.postMessage({ type: 'log', level: 'warn', message: 'runtime webview: dropped a malformed message' });
    return;
  }
  runtime(msg);
});

vscode.postMessage({ type: 'ready' });
