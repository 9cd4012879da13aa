// "FLARE: Show Model Card" as a read-only webview page (modelCardPage.ts) instead of an untitled JSON
// editor, which VS Code then asks to save. One panel, reused and retitled for the next model. The page
// keeps which model it shows as its webview state, and a WebviewPanelSerializer reopens it after a
// window reload: the model is resolved again (a workspace model only in a trusted workspace, and a
// model file that is gone shows why in the page).
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { ModelCard } from '../core/model/card';
import { renderModelCardPage } from './modelCardPage';

export const MODEL_CARD_VIEW_TYPE = 'flare.modelCard';

/** Which model a card page shows: a built-in model's name, or a workspace model file's absolute path. */
export interface CardPageState {
  readonly model: string;
  readonly builtin: boolean;
}

/** What a card page shows: the card, or why there is none, and where the model came from. */
export interface CardPageContent {
  readonly card?: ModelCard;
  readonly problem?: string;
  readonly source?: string;
}

/** Resolves a page's model again (after a reload); never rejects: a failure is the page's `problem`. */
export type CardPageLoader = (state: CardPageState) => Promise<CardPageContent>;

const OPTIONS: vscode.WebviewOptions & vscode.WebviewPanelOptions = { enableScripts: true, localResourceRoots: [] };

let panel: vscode.WebviewPanel | undefined;

function adopt(p: vscode.WebviewPanel): void {
  panel = p;
  p.onDidDispose(() => { if (panel === p) panel = undefined; });
}

function render(p: vscode.WebviewPanel, content: CardPageContent, state: CardPageState | undefined): void {
  p.title = content.card ? `Model Card: ${content.card.name}` : 'Model Card';
  // The only script is the page's fixed setState line (CSP: nonce'd); no local resources.
  p.webview.html = renderModelCardPage(content.card, {
    nonce: randomBytes(16).toString('base64'),
    ...(content.problem !== undefined ? { problem: content.problem } : {}),
    ...(content.source !== undefined ? { source: content.source } : {}),
    ...(state ? { state } : {}),
  });
}

/** Opens (or refreshes) the card page beside the active editor; returns the panel (tests read its title). */
export function showModelCardPage(content: CardPageContent, state: CardPageState): vscode.WebviewPanel {
  if (!panel) {
    adopt(vscode.window.createWebviewPanel(MODEL_CARD_VIEW_TYPE, 'Model Card', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, OPTIONS));
  } else {
    panel.reveal(vscode.ViewColumn.Beside);
  }
  render(panel!, content, state);
  return panel!;
}

/** The state a page saved, if it is one (webview state is whatever the page stored: check it). */
export function parseCardPageState(v: unknown): CardPageState | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const { model, builtin } = v as Record<string, unknown>;
  return typeof model === 'string' && model.length > 0 && typeof builtin === 'boolean' ? { model, builtin } : undefined;
}

/** Brings card pages back after a window reload (needs the `onWebviewPanel:flare.modelCard` activation event). */
export class ModelCardSerializer implements vscode.WebviewPanelSerializer {
  constructor(private readonly load: CardPageLoader) {}

  static register(load: CardPageLoader): { serializer: ModelCardSerializer; disposable: vscode.Disposable } {
    const serializer = new ModelCardSerializer(load);
    return { serializer, disposable: vscode.window.registerWebviewPanelSerializer(MODEL_CARD_VIEW_TYPE, serializer) };
  }

  async deserializeWebviewPanel(p: vscode.WebviewPanel, saved: unknown): Promise<void> {
    p.webview.options = OPTIONS;
    if (!panel) adopt(p);
    const state = parseCardPageState(saved);
    if (!state) {
      render(p, { problem: 'This page does not say which model it showed. Run "FLARE: Show Model Card" again.' }, undefined);
      return;
    }
    let content: CardPageContent;
    try {
      content = await this.load(state);
    } catch (e) {
      content = { problem: e instanceof Error ? e.message : String(e), source: state.model };
    }
    render(p, content, state);
  }
}
