import * as vscode from 'vscode';
import { webviewHtml, webviewRoots } from './webviewHtml';
import { parseWebviewToHost, type WebviewToHost } from '../core/protocol/messages';

export type ProbeResult = Extract<WebviewToHost, { type: 'probeResult' }>;

/**
 * Opens the runtime panel, asks its webview which compute back ends it has (WebGPU adapter or not),
 * and reports the answer. Inference runs in a webview, so this is the question that matters to users.
 */
export async function showRuntimeInfo(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, token?: vscode.CancellationToken): Promise<ProbeResult> {
  const panel = vscode.window.createWebviewPanel('flare.runtimeInfo', 'FLARE Runtime', vscode.ViewColumn.Active, {
    enableScripts: true,
    localResourceRoots: webviewRoots(context.extensionUri),
  });
  panel.webview.html = webviewHtml(panel.webview, context.extensionUri, 'preview', 'FLARE Runtime');
  const result = await new Promise<ProbeResult>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The FLARE webview did not answer within 60 s.')), 60_000);
    const cancel = token?.onCancellationRequested(() => reject(new vscode.CancellationError()));
    const sub = panel.webview.onDidReceiveMessage((raw: unknown) => {
      const msg = parseWebviewToHost(raw);
      if (!msg) return log.warn('runtime panel: dropped malformed message');
      if (msg.type === 'ready') void panel.webview.postMessage({ type: 'probe' });
      if (msg.type === 'probeResult') {
        clearTimeout(timer);
        sub.dispose();
        cancel?.dispose();
        resolve(msg);
      }
    });
    panel.onDidDispose(() => reject(new Error('The FLARE runtime panel was closed.')));
  });
  const backend = result.webgpu ? `WebGPU (${result.adapter ?? 'unknown adapter'}${result.isFallbackAdapter ? ', software fallback' : ''})` : 'WebAssembly (no WebGPU adapter)';
  log.info(`runtime: ${backend}`);
  void vscode.window.showInformationMessage(`FLARE runtime: ${backend}`);
  return result;
}
