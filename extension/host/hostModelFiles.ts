// The host's model files for the shared pipeline: the shipped models inside the extension, and
// model files named relative to the first workspace folder, read through vscode.workspace.fs.
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { ModelFiles } from '../core/runtime/resolveModel';

export function hostModelFiles(extensionUri: vscode.Uri): ModelFiles<vscode.Uri> {
  return {
    builtin: (name) => vscode.Uri.joinPath(extensionUri, 'models', `${name}.onnx`),
    file: (ref) => {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      return path.isAbsolute(ref) ? vscode.Uri.file(ref) : folder ? vscode.Uri.joinPath(folder, ref) : vscode.Uri.file(ref);
    },
    withPath: (at, p) => at.with({ path: p }),
    path: (at) => at.path,
    read: async (at) => await vscode.workspace.fs.readFile(at),
    key: (at) => at.toString(),
    label: (at) => (at.scheme === 'file' ? at.fsPath : at.toString()),
  };
}
