import * as vscode from 'vscode';
import { MESH_EXTENSIONS } from './settings';

/** Diagnostics that point at a node carry it here, so the quick fix can focus the preview on it. */
export const NODE_FINDING_KEY = Symbol('flare.node');
export type NodeDiagnostic = vscode.Diagnostic & { [NODE_FINDING_KEY]?: { uri: vscode.Uri; point: number } };

export function attachNode(d: vscode.Diagnostic, uri: vscode.Uri, point: number): vscode.Diagnostic {
  (d as NodeDiagnostic)[NODE_FINDING_KEY] = { uri, point };
  return d;
}

/** "Show in preview" on every FLARE diagnostic of a mesh or deck opened as text. */
export class ShowInPreviewActions implements vscode.CodeActionProvider {
  static readonly selector: vscode.DocumentSelector = { pattern: `**/*.{${MESH_EXTENSIONS.join(',')}}` };
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    return context.diagnostics
      .filter((d) => d.source === 'FLARE')
      .map((d) => {
        const node = (d as NodeDiagnostic)[NODE_FINDING_KEY];
        const action = new vscode.CodeAction(node ? `Show node in FLARE preview` : 'Show in FLARE preview', vscode.CodeActionKind.QuickFix);
        action.diagnostics = [d];
        action.command = { command: 'flare.openPreview', title: 'Show in preview', arguments: [document.uri, node ? { focusPoint: node.point } : undefined] };
        return action;
      });
  }
}
