// Restricted Mode pass: a Model Card page restored after a window reload opens built-in models, but
// not a workspace model file, and says why in the page.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { pageText, restoreCardPage } from './modelCardHelpers';

describe('Model Card page restored in Restricted Mode', function () {
  this.timeout(60_000);

  it('shows a built-in card, and refuses a workspace model file with a message in the page', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const builtin = await restoreCardPage({ model: 'plate2d-elasticity', builtin: true });
    assert.equal(builtin.title, 'Model Card: plate2d-elasticity');
    builtin.dispose();

    const ext = vscode.extensions.getExtension('flare-sim.flare-vscode')!;
    const file = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'card-restore', 'mine.onnx');
    await vscode.workspace.fs.writeFile(file, await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext.extensionUri, 'models', 'plate2d-elasticity.onnx')));
    try {
      const mine = await restoreCardPage({ model: file.fsPath, builtin: false });
      assert.equal(mine.title, 'Model Card');
      assert.match(pageText(mine), /not opened in Restricted Mode\. Trust the workspace/);
      mine.dispose();
    } finally {
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'card-restore'), { recursive: true });
    }
  });
});
