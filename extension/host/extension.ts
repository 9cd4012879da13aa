// Extension host entry: the only layer that imports `vscode`. Everything it registers goes on
// context.subscriptions so deactivation disposes it.
import * as vscode from 'vscode';
import { MeshPreviewProvider } from './meshPreviewProvider';
import { showRuntimeInfo } from './runtimeInfo';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('FLARE', { log: true });
  context.subscriptions.push(log);
  context.subscriptions.push(MeshPreviewProvider.register(context, log));
  context.subscriptions.push(
    vscode.commands.registerCommand('flare.openPreview', async (uri?: vscode.Uri) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri;
      if (!target) {
        void vscode.window.showWarningMessage('FLARE: open a mesh or deck first.');
        return;
      }
      await vscode.commands.executeCommand('vscode.openWith', target, MeshPreviewProvider.viewType, vscode.ViewColumn.Beside);
    }),
    vscode.commands.registerCommand('flare.showRuntimeInfo', () => showRuntimeInfo(context, log)),
  );
  log.info(`FLARE ${String(context.extension.packageJSON.version)} activated`);
}

export function deactivate(): void {}
