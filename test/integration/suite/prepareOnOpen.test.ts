// Latency a person feels: a deck's preview makes the model session ready when its page loads, so the
// first Predict waits for neither the runtime's code nor the session. Counted with the host's
// per-panel message log (FlareApi.previewTraffic) and the prediction's own split of its time.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FlareApi } from '../../../extension/host/extension';

const cfg = () => vscode.workspace.getConfiguration('flare');
const capture = async (): Promise<unknown> => vscode.commands.executeCommand('flare.preview.capture', 120_000);

describe('FLARE makes the model session ready when a deck\'s preview opens', function () {
  this.timeout(300_000);
  let flare: FlareApi;

  before(async () => {
    const ext = vscode.extensions.getExtension<FlareApi>('flare-sim.flare-vscode');
    assert.ok(ext);
    flare = ext.isActive ? ext.exports : await ext.activate();
    await cfg().update('runtime.backend', 'wasm', vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await cfg().update('runtime.backend', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the page gets the model with a prepare when it loads; the first Predict then finds the session made', async () => {
    const [deck] = await vscode.workspace.findFiles('bracket3d/bracket-01.inp');
    assert.ok(deck);
    const t0 = Date.now();
    await vscode.commands.executeCommand('vscode.openWith', deck, 'flare.meshPreview', vscode.ViewColumn.One);
    await capture();
    const shown = Date.now() - t0;
    let sent = { count: 0, bytes: 0 };
    for (let i = 0; i < 100 && sent.count === 0; i++) {
      sent = flare.previewTraffic(deck)[0]?.byType.predictPrepare ?? sent;
      if (sent.count === 0) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(sent.count, 1, 'one prepare posted to the page when it loaded');
    assert.ok(sent.bytes > 1_000_000, `the model travelled with it (${sent.bytes} bytes)`);
    // Resolves once the session exists (the automatic prepare's, shared): a person who opens a deck
    // and looks at it for this long before pressing Predict waits for no session.
    const ready = await flare.predictions.prepare(deck);
    assert.ok(ready?.ok && ready.prepared.ok, JSON.stringify(ready).slice(0, 300));
    assert.equal(ready.runner.kind, 'webview');
    const prepared = Date.now() - t0;
    const t1 = Date.now();
    const answer = (await vscode.commands.executeCommand('flare.predict', deck)) as { where: string };
    const predicted = Date.now() - t1;
    assert.equal(answer.where, 'preview');
    const p = flare.predictions.last(deck)!.prediction;
    assert.ok(p.sessionMs < 100, `the run found the session ready (session ${p.sessionMs.toFixed(0)} ms)`);
    const run = flare.previewTraffic(deck)[0].byType.predictRun;
    assert.ok(run && run.bytes < 1_000_000, `the run did not send the model again (${run?.bytes} bytes)`);
    console.log(`FLARE latency bracket-01 (${p.points} nodes, ${p.backend}): preview shown ${shown} ms, session ready ${prepared} ms after opening; Predict ${predicted} ms (features ${p.featureMs.toFixed(0)} ms, session ${p.sessionMs.toFixed(0)} ms, run ${p.ms.toFixed(0)} ms)`);
  });
});
