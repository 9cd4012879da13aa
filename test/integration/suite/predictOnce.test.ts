// A prediction run in a preview's webview goes back to that preview once: the page keeps its run's
// outputs and the host only says which run to show (`showRun`), while a second preview of the same
// deck (side by side) gets the arrays. Counted with the host's per-panel message log (FlareApi).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FlareApi } from '../../../extension/host/extension';
import type { PanelTraffic } from '../../../extension/host/previewTraffic';

interface Checksum { length: number; min: number; max: number; sum: number }
interface Capture { state: { fields: { name: string; source: string; checksum: Checksum }[]; coloring?: { title: string } } }

const capture = async (): Promise<Capture> => (await vscode.commands.executeCommand('flare.preview.capture', 120_000)) as Capture;
const cfg = () => vscode.workspace.getConfiguration('flare');

/** As the page computes it (webview/preview/fieldMath.ts fieldChecksum): same order, so equal to the bit. */
function checksum(values: Float32Array): Checksum {
  let min = Infinity, max = -Infinity, sum = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  return { length: values.length, min, max, sum };
}

/** Messages of `type` posted to a panel between two snapshots of its traffic. */
function delta(before: PanelTraffic | undefined, after: PanelTraffic, type: string): { count: number; bytes: number } {
  const b = before?.byType[type] ?? { count: 0, bytes: 0 };
  const a = after.byType[type] ?? { count: 0, bytes: 0 };
  return { count: a.count - b.count, bytes: a.bytes - b.bytes };
}

describe('FLARE predictions reach the preview that ran them once', function () {
  this.timeout(300_000);
  let flare: FlareApi;

  before(async () => {
    const ext = vscode.extensions.getExtension<FlareApi>('flare-sim.flare-vscode');
    assert.ok(ext);
    flare = ext.isActive ? ext.exports : await ext.activate();
    // wasm in the webview: WebGPU on SwiftShader (the test machine's only adapter) takes tens of seconds.
    await cfg().update('runtime.backend', 'wasm', vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await cfg().update('runtime.backend', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the running preview gets a showRun and no arrays, shows the host record\'s von Mises; the preview beside it gets the arrays', async () => {
    const [deck] = await vscode.workspace.findFiles('plate2d/plate-01.inp');
    assert.ok(deck);
    await vscode.commands.executeCommand('vscode.openWith', deck, 'flare.meshPreview', vscode.ViewColumn.One);
    await capture();
    await vscode.commands.executeCommand('vscode.openWith', deck, 'flare.meshPreview', vscode.ViewColumn.Two);
    await capture();
    const before = flare.previewTraffic(deck);
    assert.equal(before.length, 2, 'two previews of the deck');
    const mesh = before.map((p) => p.byType.surface?.bytes ?? 0);
    console.log(`FLARE mesh to each preview: surface ${mesh.join(', ')} bytes; file arrays ${before.map((p) => p.byType.fields?.bytes ?? 0).join(', ')} bytes`);

    const answer = (await vscode.commands.executeCommand('flare.predict', deck)) as { where: string };
    assert.equal(answer.where, 'preview', JSON.stringify(answer).slice(0, 300));
    const rec = flare.predictions.last(deck)!;
    assert.ok(rec.prediction.keptAs !== undefined, 'the page kept the outputs');

    const after = flare.previewTraffic(deck);
    const byColumn = (t: PanelTraffic[], c: number | undefined) => t.find((p) => p.viewColumn === c);
    const rows = after.map((p) => ({ p, fields: delta(byColumn(before, p.viewColumn), p, 'fields'), showRun: delta(byColumn(before, p.viewColumn), p, 'showRun') }));
    console.log(`FLARE after the prediction: ${JSON.stringify(rows.map((r) => ({ column: r.p.viewColumn, active: r.p.active, fields: r.fields, showRun: r.showRun })))}`);
    const ran = rows.filter((r) => r.showRun.count === 1);
    assert.equal(ran.length, 1, 'one preview ran it and was told which run to show');
    const [p] = ran;
    assert.equal(p.fields.count, 0, 'no arrays posted back to the preview that ran it');
    assert.ok(p.showRun.bytes < 2_000, `showRun is small: ${p.showRun.bytes} bytes`);
    const other = rows.find((r) => r !== p)!;
    const arrays = rec.prediction.fields.reduce((n, f) => n + f.values.byteLength, 0);
    assert.equal(other.showRun.count, 0);
    assert.equal(other.fields.count, rec.prediction.fields.length, 'the preview beside it gets the arrays');
    assert.ok(other.fields.bytes >= arrays, `${other.fields.bytes} bytes for ${arrays} bytes of arrays`);

    // The active preview is the one that ran it (the runner goes to the active visible panel); the capture goes to it.
    assert.ok(p.p.active, 'the preview that ran it is the active one');
    const vm = rec.prediction.fields.find((f) => f.name === 'von_mises')!.values;
    const want = checksum(vm);
    let shown = await capture();
    const find = (c: Capture) => c.state.fields.find((f) => f.name === 'von_mises (predicted)');
    for (let i = 0; i < 20 && !find(shown); i++) shown = await capture();
    const got = find(shown);
    assert.ok(got, `fields: ${shown.state.fields.map((f) => f.name).join(', ')}`);
    assert.equal(got.source, 'prediction');
    assert.deepEqual(got.checksum, want, 'the page shows the host record\'s von Mises');
    assert.equal(shown.state.coloring?.title.startsWith('von_mises (predicted)'), true, shown.state.coloring?.title);

    // The other preview: the same values, from the arrays it was sent.
    await vscode.commands.executeCommand('workbench.action.focusFirstEditorGroup');
    for (let i = 0; i < 50 && !flare.previewTraffic(deck).find((t) => t.viewColumn === other.p.viewColumn)?.active; i++) await new Promise((r) => setTimeout(r, 100));
    const beside = find(await capture());
    assert.deepEqual(beside?.checksum, want, 'the preview beside it shows the same values');
  });
});
