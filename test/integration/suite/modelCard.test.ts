// "FLARE: Show Model Card" opens a read-only page (a webview), not an untitled JSON editor that
// VS Code then asks to save; a second card reuses the same page; after a window reload the page
// comes back with the same model (its WebviewPanelSerializer, called here as VS Code would, with a
// panel of the page's view type and the state the page saved).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { pageText, restoreCardPage } from './modelCardHelpers';

/** The state the page hands VS Code (body[data-state]), decoded. */
function savedState(panel: vscode.WebviewPanel): unknown {
  const m = /<body data-state="([^"]*)"/.exec(panel.webview.html);
  return m ? JSON.parse(m[1].replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')) : undefined;
}

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

  it('comes back after a window reload with the same built-in model, and keeps its state for the next reload', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const panel = await restoreCardPage({ model: 'bracket3d-elasticity', builtin: true });
    assert.equal(panel.title, 'Model Card: bracket3d-elasticity');
    const text = pageText(panel);
    assert.match(text, /bracket3d-elasticity v\d/);
    assert.match(text, /bracket3d-elasticity \(built-in\)/);
    assert.match(text, /Measured accuracy/);
    assert.deepEqual(savedState(panel), { model: 'bracket3d-elasticity', builtin: true }, 'the restored page saves its state again');
    assert.match(panel.webview.html, /script-src 'nonce-/);
    // The restored page is the one the command reuses.
    assert.equal(await vscode.commands.executeCommand('flare.showModelCard', 'plate2d-elasticity'), 'plate2d-elasticity');
    await until('the retitled page', () => panel.title === 'Model Card: plate2d-elasticity');
    await until('one card tab', () => cardTabs().length === 1, 5000).catch(() => {
      assert.fail(JSON.stringify(vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => [t.label, t.input instanceof vscode.TabInputWebview ? t.input.viewType : String(t.input)])));
    });
    assert.deepEqual(savedState(panel), { model: 'plate2d-elasticity', builtin: true });
  });

  it('restores a workspace model by its path (trusted), and says so in the page when the file is gone or the state is not one', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const ext = vscode.extensions.getExtension('flare-sim.flare-vscode')!;
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const file = vscode.Uri.joinPath(folder, 'card-restore', 'mine.onnx');
    await vscode.workspace.fs.writeFile(file, await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext.extensionUri, 'models', 'plate2d-elasticity.onnx')));
    try {
      const mine = await restoreCardPage({ model: file.fsPath, builtin: false });
      assert.equal(mine.title, 'Model Card: plate2d-elasticity');
      assert.match(pageText(mine), /card-restore\/mine\.onnx/);
      mine.dispose();

      const gone = vscode.Uri.joinPath(folder, 'card-restore', 'gone.onnx').fsPath;
      const missing = await restoreCardPage({ model: gone, builtin: false });
      assert.equal(missing.title, 'Model Card');
      const text = pageText(missing);
      assert.ok(text.includes(`cannot read model ${gone}`), text);
      assert.match(text, /Run "FLARE: Show Model Card"/);
      assert.deepEqual(savedState(missing), { model: gone, builtin: false }, 'kept: the file may come back');
      missing.dispose();

      const odd = await restoreCardPage({ model: 42 });
      assert.equal(odd.title, 'Model Card');
      assert.match(pageText(odd), /does not say which model it showed/);
      odd.dispose();
    } finally {
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder, 'card-restore'), { recursive: true });
    }
  });
});
