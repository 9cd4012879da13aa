import * as vscode from 'vscode';
import { isDeckFileName, missingForPrediction } from '../core/model/predictable';
import type { MeshDiagnosticsService } from './meshDiagnostics';
import { MeshPreviewProvider } from './meshPreviewProvider';

/** Context key: the active editor's (or preview's) file is a deck a model can run on. */
export const DECK_CONTEXT_KEY = 'flare.activeIsDeck';

/** The active text editor's file, else the active FLARE preview's. */
function activeFile(): vscode.Uri | undefined {
  const editor = vscode.window.activeTextEditor?.document.uri;
  if (editor) return editor;
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return tab instanceof vscode.TabInputCustom && tab.viewType === MeshPreviewProvider.viewType ? tab.uri : undefined;
}

/**
 * Keeps `flare.activeIsDeck` true exactly when the active file is an .inp deck with supports and
 * loads, so "Predict Fields" is offered only there (menus' when clauses). A deck not parsed yet
 * counts as one until its parse says otherwise: the menu must not flicker on every open.
 */
export class DeckContext implements vscode.Disposable {
  private readonly subs: vscode.Disposable[];
  private value: boolean | undefined;

  constructor(private readonly diagnostics: MeshDiagnosticsService) {
    this.subs = [
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.window.tabGroups.onDidChangeTabs(() => this.update()),
      diagnostics.onDidParse((p) => { if (p.uri.toString() === activeFile()?.toString()) this.update(); }),
    ];
    this.update();
  }

  /** Whether `uri` is (as far as is known) a deck a prediction can run on. */
  isDeck(uri: vscode.Uri): boolean {
    if (!isDeckFileName(uri.path)) return false;
    const parsed = this.diagnostics.cached(uri);
    return !parsed?.mesh || missingForPrediction(parsed.mesh, uri.path) === undefined;
  }

  get active(): boolean {
    return this.value ?? false;
  }

  private update(): void {
    const uri = activeFile();
    const next = uri !== undefined && this.isDeck(uri);
    if (next === this.value) return;
    this.value = next;
    void vscode.commands.executeCommand('setContext', DECK_CONTEXT_KEY, next);
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}
