// Runs only in the Restricted Mode pass of run-code-server.mjs: code-server with workspace trust on and
// the test folder untrusted. Built-in models work there; workspace model files and the solver do not.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FlareApi } from '../../../extension/host/extension';

const EXT_ID = 'flare-sim.flare-vscode';

describe('Restricted Mode (untrusted workspace)', function () {
  this.timeout(180_000);
  let folder: vscode.Uri;
  let deck: vscode.Uri;

  before(async () => {
    const ext = vscode.extensions.getExtension<FlareApi>(EXT_ID);
    assert.ok(ext);
    if (!ext.isActive) await ext.activate();
    folder = vscode.workspace.workspaceFolders![0].uri;
    const decks = await vscode.workspace.findFiles('plate2d/*.inp');
    const sized = await Promise.all(decks.map(async (d) => ({ d, size: (await vscode.workspace.fs.stat(d)).size })));
    deck = sized.sort((a, b) => a.size - b.size)[0].d;
  });

  it('opens the test folder untrusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('predicts with the built-in model, not a model file of the workspace, and says so', async () => {
    // A workspace model and settings that ask for it (VS Code withholds restricted settings here).
    const ext = vscode.extensions.getExtension(EXT_ID)!;
    const model = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext.extensionUri, 'models', 'plate2d-elasticity.onnx'));
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'my-models', 'custom.onnx'), model);
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, '.vscode', 'settings.json'), new TextEncoder().encode(JSON.stringify({ 'flare.model': 'my-models/custom.onnx' })));
    assert.equal(vscode.workspace.getConfiguration('flare').get('model'), 'auto', 'the workspace model setting is not applied');
    const r = (await vscode.commands.executeCommand('flare.predict', deck)) as { model: string; builtin: boolean; where: string; notes: string[] } | undefined;
    assert.ok(r, 'a prediction');
    assert.equal(r.model, 'plate2d-elasticity');
    assert.equal(r.builtin, true);
    assert.ok(r.notes.some((n) => /^Restricted Mode: .*my-models\/custom\.onnx.* not used/.test(n)), JSON.stringify(r.notes));
  });

  it('refuses a model file named directly', async () => {
    const name = await vscode.commands.executeCommand('flare.showModelCard', 'my-models/custom.onnx');
    assert.equal(name, undefined);
    assert.equal(await vscode.commands.executeCommand('flare.showModelCard', 'plate2d-elasticity'), 'plate2d-elasticity', 'built-in model cards still open');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('does not run the solver', async () => {
    const copy = vscode.Uri.joinPath(folder, 'restricted-verify.inp');
    await vscode.workspace.fs.copy(deck, copy, { overwrite: true });
    const r = (await vscode.commands.executeCommand('flare.verifyWithSolver', copy)) as { refused?: string } | undefined;
    assert.match(r?.refused ?? '', /Restricted Mode/);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(vscode.Uri.joinPath(folder, 'restricted-verify.frd'))), 'ccx wrote no result');
  });
});
