import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FlareApi } from '../../../extension/host/extension';

const EXT_ID = 'flare-sim.flare-vscode';

async function api(): Promise<FlareApi> {
  const ext = vscode.extensions.getExtension<FlareApi>(EXT_ID);
  assert.ok(ext);
  return ext.isActive ? ext.exports : await ext.activate();
}

async function waitFor<T>(what: string, fn: () => T | undefined, ms = 20_000): Promise<T> {
  const t = Date.now();
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() - t > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const folder = () => vscode.workspace.workspaceFolders![0].uri;

describe('diagnostics for decks and meshes', () => {
  const GOOD = ['*HEADING', 'tet', '*NODE', '1, 0, 0, 0', '2, 1, 0, 0', '3, 0, 1, 0', '4, 0, 0, 1', '*ELEMENT, TYPE=C3D4, ELSET=E', '1, 1, 2, 3, 4', ''].join('\n');

  it('reports a bad element line at its exact line, and clears after the fix is saved', async () => {
    const flare = await api();
    const uri = vscode.Uri.joinPath(folder(), 'diag-bad.inp');
    // line 9 (1-based) references node 99, which does not exist
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(GOOD.replace('1, 1, 2, 3, 4', '1, 1, 2, 3, 99')));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diags = await waitFor('an error diagnostic', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.severity === vscode.DiagnosticSeverity.Error);
      return d.length ? d : undefined;
    });
    assert.equal(diags[0].range.start.line, 8, `diagnostic on the element line: ${diags[0].message}`);
    assert.match(diags[0].message, /99/);
    assert.equal(diags[0].source, 'FLARE');

    // fix it in the editor and save: the error goes away
    const editor = vscode.window.activeTextEditor!;
    await editor.edit((e) => e.replace(new vscode.Range(8, 0, 8, doc.lineAt(8).text.length), '1, 1, 2, 3, 4'));
    await doc.save();
    await flare.watcher.queue.idle();
    await waitFor('errors cleared', () => (vscode.languages.getDiagnostics(uri).some((x) => x.severity === vscode.DiagnosticSeverity.Error) ? undefined : true));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('flare.checkFile parses a deck on request', async () => {
    const uri = vscode.Uri.joinPath(folder(), 'diag-good.inp');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(GOOD));
    const r = (await vscode.commands.executeCommand('flare.checkFile', uri)) as { points: number };
    assert.equal(r.points, 4);
  });

  it('flare.clearDiagnostics empties the Problems entries', async () => {
    const uri = vscode.Uri.joinPath(folder(), 'diag-clear.inp');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('*NODE\n1, 0, 0, 1.5e\n'));
    await vscode.commands.executeCommand('flare.checkFile', uri);
    assert.ok(vscode.languages.getDiagnostics(uri).length > 0, 'a finding for the malformed coordinate');
    await vscode.commands.executeCommand('flare.clearDiagnostics');
    assert.equal(vscode.languages.getDiagnostics(uri).length, 0);
  });
});
