// "FLARE: Show Model Card" as a read-only webview page (modelCardPage.ts) instead of an untitled JSON
// editor, which VS Code then asks to save. One panel, reused and retitled for the next model.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { ModelCard } from '../core/model/card';
import { renderModelCardPage } from './modelCardPage';

export const MODEL_CARD_VIEW_TYPE = 'flare.modelCard';

let panel: vscode.WebviewPanel | undefined;

/** Opens (or refreshes) the card page beside the active editor; returns the panel (tests read its title). */
export function showModelCardPage(card: ModelCard | undefined, opts: { problem?: string; source?: string }): vscode.WebviewPanel {
  const title = card ? `Model Card: ${card.name}` : 'Model Card';
  if (!panel) {
    // No scripts and no local resources: the page is static HTML with a nonce'd style element.
    panel = vscode.window.createWebviewPanel(MODEL_CARD_VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
      { enableScripts: false, localResourceRoots: [] });
    panel.onDidDispose(() => { panel = undefined; });
  } else {
    panel.title = title;
    panel.reveal(vscode.ViewColumn.Beside);
  }
  panel.webview.html = renderModelCardPage(card, { nonce: randomBytes(16).toString('base64'), ...opts });
  return panel;
}
