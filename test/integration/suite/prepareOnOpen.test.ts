// Latency a person feels: opening a deck as text makes the extension host's model session, so a
// Predict without a preview waits for neither onnxruntime's code nor the session. Seen in the host's
// FLARE log and in the prediction's own split of its time.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FlareApi } from '../../../extension/host/extension';
import { logged } from './hostLog';

describe('FLARE makes the extension host\'s model session when a deck opens', function () {
  this.timeout(300_000);
  let flare: FlareApi;

  before(async () => {
    const ext = vscode.extensions.getExtension<FlareApi>('flare-sim.flare-vscode');
    assert.ok(ext);
    flare = ext.isActive ? ext.exports : await ext.activate();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opening bracket-01 as text makes the session; Predict (no preview) then finds it made', async () => {
    const [deck] = await vscode.workspace.findFiles('bracket3d/bracket-01.inp');
    assert.ok(deck);
    const t0 = Date.now();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(deck));
    // The host logs the session it made when the deck opened.
    const line = await logged(flare, /bracket-01\.inp: bracket3d-elasticity ready on .* in the extension host/, 60_000);
    // Resolves at once now: the session exists (a second prepare finds it cached).
    const again = await flare.predictions.prepare(deck);
    assert.ok(again?.ok && again.prepared.ok && again.prepared.sessionMs === 0, JSON.stringify(again).slice(0, 300));
    const ready = Date.now() - t0;
    const t1 = Date.now();
    const answer = (await vscode.commands.executeCommand('flare.predict', deck)) as { where: string };
    const predicted = Date.now() - t1;
    assert.equal(answer.where, 'Node', JSON.stringify(answer).slice(0, 300));
    const p = flare.predictions.last(deck)!.prediction;
    assert.ok(p.sessionMs < 100, `the run found the session made (session ${p.sessionMs.toFixed(0)} ms)`);
    console.log(`FLARE latency bracket-01 (${p.points} nodes, host ${p.backend}): ${line.replace(/^.*\] /, '')}; ready ${ready} ms after opening; Predict ${predicted} ms (features ${p.featureMs.toFixed(0)} ms, session ${p.sessionMs.toFixed(0)} ms, run ${p.ms.toFixed(0)} ms)`);
  });
});
