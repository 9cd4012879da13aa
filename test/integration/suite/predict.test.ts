import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readMesh } from '../../../extension/core/mesh/index';
import type { FlareApi } from '../../../extension/host/extension';

const EXT_ID = 'flare-sim.flare-vscode';

async function api(): Promise<FlareApi> {
  const ext = vscode.extensions.getExtension<FlareApi>(EXT_ID);
  assert.ok(ext);
  return ext.isActive ? ext.exports : await ext.activate();
}

interface PredictAnswer { model: string; backend: string; ms: number; fields: { name: string; components: number; unit: string; max: number }[] }
interface CompareAnswer { matched: number; fields: { field: string; relativeL2: number }[] }

/** Example decks shipped in examples/ with their CalculiX results. */
async function exampleDeck(family: 'plate2d' | 'bracket3d'): Promise<{ deck: vscode.Uri; frd: vscode.Uri }> {
  const decks = await vscode.workspace.findFiles(`${family}/*.inp`);
  for (const deck of decks.sort((a, b) => a.path.localeCompare(b.path))) {
    const frd = deck.with({ path: deck.path.replace(/\.inp$/, '.frd') });
    try {
      await vscode.workspace.fs.stat(frd);
      return { deck, frd };
    } catch { /* next */ }
  }
  throw new Error(`no examples/${family}/*.inp with a .frd beside it`);
}

describe('prediction commands on the shipped examples', function () {
  this.timeout(240_000);

  for (const family of ['plate2d', 'bracket3d'] as const) {
    it(`predicts ${family} fields with the matching built-in model`, async () => {
      await api();
      const { deck } = await exampleDeck(family);
      const r = (await vscode.commands.executeCommand('flare.predict', deck)) as PredictAnswer | undefined;
      assert.ok(r, 'a prediction');
      assert.equal(r.model, `${family}-elasticity`);
      const vm = r.fields.find((f) => f.name === 'von_mises');
      const u = r.fields.find((f) => f.name === 'displacement');
      assert.ok(vm && vm.unit === 'MPa' && vm.max > 0 && Number.isFinite(vm.max), JSON.stringify(vm));
      assert.ok(u && u.components === 3 && u.unit === 'mm', JSON.stringify(u));
    });

    it(`compares the ${family} prediction with its CalculiX result`, async () => {
      const { deck, frd } = await exampleDeck(family);
      const r = (await vscode.commands.executeCommand('flare.compareWithResult', deck, frd)) as CompareAnswer | undefined;
      assert.ok(r, 'comparison statistics');
      assert.ok(r.matched > 100, `${r.matched} nodes matched`);
      const vm = r.fields.find((f) => f.field === 'von_mises');
      assert.ok(vm, 'von Mises compared');
      // Measured on the shipped examples: 0.35 (plate2d) and 0.27 (bracket3d); a wrong feature or scaling gives ~1.
      assert.ok(vm.relativeL2 < 0.45, `von Mises relative L2 ${vm.relativeL2}`); console.log(`FLARE ${family} example: ${JSON.stringify(r.fields)}`);
    });
  }

  it('exports the prediction as VTU that reads back with the predicted arrays', async () => {
    const { deck } = await exampleDeck('plate2d');
    const out = vscode.Uri.joinPath(deck, '..', 'export-test.vtu');
    const written = (await vscode.commands.executeCommand('flare.exportVtu', deck, out)) as string | undefined;
    assert.equal(written, out.toString());
    const r = readMesh(await vscode.workspace.fs.readFile(out), out.fsPath);
    assert.ok(r.mesh, JSON.stringify(r.diagnostics.slice(0, 3)));
    const names = r.mesh.pointData.map((a) => a.name);
    for (const n of ['node_id', 'von_mises', 'displacement']) assert.ok(names.includes(n), `${n} in ${names.join(',')}`);
  });

  it('reports nodes above flare.limits.vonMisesMPa at their lines, worst first', async () => {
    const flare = await api();
    const { deck } = await exampleDeck('plate2d');
    const cfg = vscode.workspace.getConfiguration('flare');
    const rec = flare.predictions.last(deck);
    assert.ok(rec);
    const vm = rec.prediction.fields.find((f) => f.name === 'von_mises')!.values;
    const sorted = Float32Array.from(vm).filter(Number.isFinite).sort();
    const limit = sorted[Math.floor(sorted.length * 0.99)];
    await cfg.update('limits.vonMisesMPa', limit, vscode.ConfigurationTarget.Workspace);
    try {
      await vscode.commands.executeCommand('flare.predict', deck);
      const diags = vscode.languages.getDiagnostics(deck).filter((d) => d.code === 'limit-exceeded');
      assert.ok(diags.length > 0, 'limit findings');
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(deck)).split('\n');
      const m = /^node (\d+):/.exec(diags[0].message);
      assert.ok(m, diags[0].message);
      // the diagnostic sits on the *NODE data line of that node
      assert.match(text[diags[0].range.start.line], new RegExp(`^\\s*${m[1]}\\s*,`));
      assert.ok(vscode.languages.getDiagnostics(deck).some((d) => d.code === 'limit-summary'));
    } finally {
      await cfg.update('limits.vonMisesMPa', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('verifies with CalculiX and reports the speed-up', async () => {
    const { deck } = await exampleDeck('plate2d');
    const r = (await vscode.commands.executeCommand('flare.verifyWithSolver', deck)) as (CompareAnswer & { ccxMs: number; flareMs: number }) | undefined;
    assert.ok(r, 'verification result');
    assert.ok(r.ccxMs > 0 && r.flareMs > 0);
    assert.ok(r.fields.find((f) => f.field === 'von_mises')!.relativeL2 < 0.45);
  });

  it('benchmarks the model in the extension host', async () => {
    const { deck } = await exampleDeck('plate2d');
    const rows = (await vscode.commands.executeCommand('flare.runBenchmark', deck, { repeats: 1 })) as { where: string; backend: string; medianMs?: number; error?: string }[] | undefined;
    assert.ok(rows, 'benchmark rows');
    console.log(`FLARE benchmark: ${JSON.stringify(rows)}`);
    const host = rows.find((r) => r.where === 'extension host');
    assert.ok(host?.medianMs && host.medianMs > 0, JSON.stringify(host));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('benchmarks the model in the open preview webview too', async () => {
    const { deck } = await exampleDeck('plate2d');
    await vscode.commands.executeCommand('vscode.openWith', deck, 'flare.meshPreview');
    await vscode.commands.executeCommand('flare.preview.capture', 60_000);
    const rows = (await vscode.commands.executeCommand('flare.runBenchmark', deck, { repeats: 1, webview: ['wasm'] })) as { where: string; backend: string; medianMs?: number; runs: number; error?: string }[] | undefined;
    assert.ok(rows, 'benchmark rows');
    console.log(`FLARE benchmark with a preview: ${JSON.stringify(rows)}`);
    const web = rows.filter((r) => r.where === 'preview webview');
    assert.equal(web.length, 1, JSON.stringify(rows));
    assert.equal(web[0].backend, 'wasm', JSON.stringify(web[0]));
    assert.ok(web[0].medianMs && web[0].medianMs > 0 && web[0].runs === 1, JSON.stringify(web[0]));
    assert.ok(rows.some((r) => r.where === 'extension host' && r.medianMs), JSON.stringify(rows));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows the model card', async () => {
    const name = await vscode.commands.executeCommand('flare.showModelCard', 'bracket3d-elasticity');
    assert.equal(name, 'bracket3d-elasticity');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
