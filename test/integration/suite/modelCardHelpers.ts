// Model Card page helpers for the integration suites (trusted and Restricted Mode passes).
import * as vscode from 'vscode';
import type { FlareApi } from '../../../extension/host/extension';

/** Restores a card page from `state` the way VS Code does after a reload; returns the panel. */
export async function restoreCardPage(state: unknown): Promise<vscode.WebviewPanel> {
  const api = await vscode.extensions.getExtension<FlareApi>('flare-sim.flare-vscode')!.activate();
  const panel = vscode.window.createWebviewPanel('flare.modelCard', 'restoring', vscode.ViewColumn.Active, {});
  await api.modelCardSerializer.deserializeWebviewPanel(panel, state);
  return panel;
}

/** The page's visible text (tags removed, entities decoded). */
export function pageText(panel: vscode.WebviewPanel): string {
  return panel.webview.html.replace(/<style[\s\S]*?<\/style>|<script[\s\S]*?<\/script>/g, ' ').replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ');
}
