import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXT_ID = 'flare-sim.flare-vscode';

describe('FLARE extension in VS Code', () => {
  it('runs in a real VS Code extension host', () => {
    assert.ok(vscode.version.startsWith('1.'), vscode.version);
  });

  it('activates and registers its commands', async () => {
    const ext = vscode.extensions.getExtension(EXT_ID);
    assert.ok(ext, `${EXT_ID} is loaded`);
    await ext.activate();
    assert.equal(ext.isActive, true);
    const all = await vscode.commands.getCommands(true);
    const declared = (ext.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    for (const id of declared) assert.ok(all.includes(id), `command ${id} registered`);
  });

  it('opens the example workspace', () => {
    const folders = vscode.workspace.workspaceFolders;
    assert.equal(folders?.length, 1);
  });

  it('reports the runtime back end from a real webview', async () => {
    const r = (await vscode.commands.executeCommand('flare.showRuntimeInfo')) as { webgpu: boolean; adapter?: string };
    assert.equal(typeof r.webgpu, 'boolean');
    // Chromium runs with --enable-unsafe-webgpu on SwiftShader in our harness, so an adapter exists.
    assert.equal(r.webgpu, true, 'WebGPU adapter inside the webview');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
