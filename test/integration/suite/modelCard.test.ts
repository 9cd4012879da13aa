// "FLARE: Show Model Card" opens a read-only page (a webview), not an untitled JSON editor that
// VS Code then asks to save; a second card reuses the same page.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

function cardTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('flare.modelCard'));
}

function unsavedDocs(): string[] {
  return vscode.workspace.textDocuments.filter((d) => d.isUntitled || d.isDirty).map((d) => d.uri.toString());
}

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const t = Date.now();
  while (!ok()) {
    if (Date.now() - t > ms) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('FLARE Model Card page', function () {
  this.timeout(60_000);
  before(async () => {
    await vscode.extensions.getExtension('flare-sim.flare-vscode')?.activate();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens the card as a read-only page, creating no unsaved document, and reuses it for the next card', async () => {
    const before = unsavedDocs();
    assert.equal(await vscode.commands.executeCommand('flare.showModelCard', 'plate2d-elasticity'), 'plate2d-elasticity');
    await until('the card page', () => cardTabs().length === 1);
    assert.equal(cardTabs()[0].label, 'Model Card: plate2d-elasticity');
    assert.equal(cardTabs()[0].isDirty, false);
    assert.deepEqual(unsavedDocs(), before, 'no untitled or dirty document');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.isUntitled && d.languageId === 'json'), 'no untitled JSON buffer');

    assert.equal(await vscode.commands.executeCommand('flare.showModelCard', 'bracket3d-elasticity'), 'bracket3d-elasticity');
    await until('the retitled page', () => cardTabs()[0]?.label === 'Model Card: bracket3d-elasticity');
    assert.equal(cardTabs().length, 1, 'one card page, reused');
    assert.deepEqual(unsavedDocs(), before);
  });
});
