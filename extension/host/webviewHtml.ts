import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { webviewShell } from './webviewShell';

/** Folders a webview may load from: our bundles and static assets, nothing of the workspace. */
export function webviewRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

/** The HTML shell of a webview (webviewShell.ts) with this webview's URIs and a per-load nonce. */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, bundle: string, title: string): string {
  return webviewShell({
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${bundle}.js`)).toString(),
    cssUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'webview.css')).toString(),
    mediaUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media')).toString(),
    nonce: randomBytes(16).toString('base64'),
    title,
  });
}
