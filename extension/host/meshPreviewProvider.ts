import * as vscode from 'vscode';
import * as path from 'node:path';
import { webviewHtml, webviewRoots } from './webviewHtml';
import { parseWebviewToHost, type HostToWebview } from '../protocol/messages';

/** A read-only document: the bytes are read by the provider, never written back. */
class MeshDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {}
}

/** The `flare.meshPreview` custom editor: one webview per opened mesh or deck. */
export class MeshPreviewProvider implements vscode.CustomReadonlyEditorProvider<MeshDocument> {
  static readonly viewType = 'flare.meshPreview';

  constructor(private readonly context: vscode.ExtensionContext, private readonly log: vscode.LogOutputChannel) {}

  static register(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(MeshPreviewProvider.viewType, new MeshPreviewProvider(context, log), {
      supportsMultipleEditorsPerDocument: true,
      webviewOptions: { retainContextWhenHidden: false },
    });
  }

  openCustomDocument(uri: vscode.Uri): MeshDocument {
    return new MeshDocument(uri);
  }

  async resolveCustomEditor(document: MeshDocument, panel: vscode.WebviewPanel, token: vscode.CancellationToken): Promise<void> {
    const { extensionUri } = this.context;
    panel.webview.options = { enableScripts: true, localResourceRoots: webviewRoots(extensionUri) };
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'preview', path.basename(document.uri.path));
    const stat = await vscode.workspace.fs.stat(document.uri);
    const post = (m: HostToWebview) => panel.webview.postMessage(m);
    const sub = panel.webview.onDidReceiveMessage((raw: unknown) => {
      const msg = parseWebviewToHost(raw);
      if (!msg) {
        this.log.warn(`preview: dropped malformed message from webview: ${JSON.stringify(raw)?.slice(0, 200)}`);
        return;
      }
      if (token.isCancellationRequested) return;
      switch (msg.type) {
        case 'ready':
          void post({ type: 'init', fileName: path.basename(document.uri.path), byteLength: stat.size, format: path.extname(document.uri.path).slice(1).toLowerCase() });
          break;
        case 'log':
          this.log[msg.level === 'warn' ? 'warn' : msg.level](`preview: ${msg.message}`);
          break;
        case 'probeResult':
          break;
      }
    });
    panel.onDidDispose(() => sub.dispose());
  }
}
