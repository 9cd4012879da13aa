// The preview keeps what the user set when its tab is hidden and shown again (the webview page is
// dropped while hidden: retainContextWhenHidden is off), in real VS Code (code-server + Chromium).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { TWO_HEX_DECK, capturePreview, previewSuiteHooks, savePng, sleep, writeFixture } from './previewHelpers';

interface Capture {
  dataUrl: string;
  state: {
    status: string;
    coloring?: { title: string; range: [number, number] };
    settings: Record<string, unknown>;
    camera: { position: number[]; focalPoint: number[]; viewUp: number[]; parallelScale: number };
    pick?: { node: number; nodeId: number };
    fields: { name: string }[];
  };
}

const capture = () => capturePreview<Capture>();

describe('FLARE preview state across hide/show', function () {
  this.timeout(120_000);
  previewSuiteHooks();

  it('a deck\'s preview comes back with its field, colour map, range, clip, deformation, compare mode, camera and selected node after another tab was in front', async () => {
    const uri = writeFixture('preview-state', 'bracket.inp', TWO_HEX_DECK);
    const other = writeFixture('preview-state', 'notes.txt', 'another tab\n');
    // The deck as text on the left, its preview beside it with node 11 (0-based 10) selected, as
    // "Show node in FLARE preview" does.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { viewColumn: vscode.ViewColumn.One, preview: false });
    assert.equal(await vscode.commands.executeCommand('flare.openPreview', uri, { focusPoint: 10 }), 1);
    await capture();
    // A prediction (von Mises shown, as the predict command does), its displacement and a reference.
    const n = 12;
    const vm = Float32Array.from({ length: n }, (_, i) => 10 * i);
    const u = Float32Array.from({ length: n * 3 }, (_, k) => (k % 3 === 2 ? -0.01 * Math.floor(k / 3) : 0));
    const uRef = u.map((v) => 1.1 * v);
    assert.equal(await vscode.commands.executeCommand('flare.preview.showFields', uri, { name: 'von_mises (predicted)', components: 1, values: vm, unit: 'MPa', source: 'prediction', show: true }), 1);
    await vscode.commands.executeCommand('flare.preview.showFields', uri, { name: 'displacement (predicted)', components: 3, values: u, unit: 'mm', source: 'prediction', show: false });
    await vscode.commands.executeCommand('flare.preview.showFields', uri, { name: 'displacement (result.frd)', components: 3, values: uRef, unit: 'mm', source: 'reference', show: false });
    const camera = { position: [7, -5, 4], focalPoint: [1, 0.5, 0.5], viewUp: [0, 0, 1], parallelScale: 1.3 };
    const view = {
      colorBy: 'displacement (predicted)', component: 2, preset: 'Viridis', lockRange: true, range: [-0.1, 0], bands: 6,
      deformBy: 'displacement (predicted)', deformScale: 20, clip: { enabled: true, axis: 0, position: 0.8, invert: false },
      compareWith: 'displacement (result.frd)', compare: 'sideBySide', camera,
    };
    assert.equal(await vscode.commands.executeCommand('flare.preview.setView', view), true);
    await sleep(500);
    const before = await capture();
    savePng('preview-state-before-hide.png', before.dataUrl);
    assert.equal(before.state.settings.colorBy, 'displacement (predicted)');
    assert.equal(before.state.pick?.nodeId, 11);

    // Another tab in front of the preview in the same group: the preview's page goes away.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(other), { viewColumn: vscode.ViewColumn.Two, preview: false });
    await sleep(1500);
    // And back to the preview tab.
    await vscode.commands.executeCommand('vscode.openWith', uri, 'flare.meshPreview', vscode.ViewColumn.Two);
    let after = await capture();
    for (let i = 0; i < 20 && (!after.state.pick || after.state.fields.length < 3); i++) {
      await sleep(500);
      after = await capture();
    }
    savePng('preview-state-after-show.png', after.dataUrl);
    assert.deepEqual(after.state.settings, before.state.settings, 'field, colour map, range, clip, deformation and compare mode came back');
    assert.equal(after.state.coloring?.title, before.state.coloring?.title);
    for (const k of ['position', 'focalPoint', 'viewUp'] as const) {
      assert.deepEqual(after.state.camera[k].map((v) => v.toFixed(5)), before.state.camera[k].map((v) => v.toFixed(5)), `camera ${k} came back`);
    }
    assert.equal(after.state.pick?.nodeId, 11, 'the selected node came back');
  });
});
