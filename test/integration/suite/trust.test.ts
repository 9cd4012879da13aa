// Issue 15 in real VS Code: a prediction the model cannot vouch for is escalated everywhere a person
// looks (status bar warning with the reason, banner over the field in the preview, Problems at the
// deck's lines, a warning notification), an in-family deck is not, and the warning goes away with
// its cause. Also: Check Mesh or Deck always answers, Predict Fields refuses plain meshes helpfully.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readMesh, writeVtu } from '../../../extension/core/mesh/index';
import { api, assertFindingsInProblems, capture, flareProblems, folder, predict, until, type PredictAnswer } from './trustHelpers';

const FIXTURE = path.resolve(__dirname, '../../../../test/fixtures/trust/block-c3d8.inp');

/** The first line (1-based) of `keyword` in a deck's text. */
function lineOf(text: string, keyword: RegExp): number {
  return text.split('\n').findIndex((l) => keyword.test(l)) + 1;
}

describe('trust: escalation of predictions the model cannot vouch for', function () {
  this.timeout(300_000);
  const cfg = () => vscode.workspace.getConfiguration('flare');
  const deckText = fs.readFileSync(FIXTURE, 'utf8');
  let deck: vscode.Uri;
  let inFamily: vscode.Uri;

  before(async () => {
    await api();
    await cfg().update('runtime.backend', 'wasm', vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    deck = vscode.Uri.joinPath(folder(), 'trust', 'block-c3d8.inp');
    await vscode.workspace.fs.writeFile(deck, new TextEncoder().encode(deckText));
    inFamily = (await vscode.workspace.findFiles('plate2d/*.inp')).sort((a, b) => a.path.localeCompare(b.path))[0];
    assert.ok(inFamily, 'an in-family example deck');
  });

  after(async () => {
    await cfg().update('runtime.backend', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('out-of-family deck (C3D8 block): warning status bar with the reason, Problems at the findings\' lines', async () => {
    const flare = await api();
    const r = await predict(deck);
    assert.equal(r.trust.level, 'warning', JSON.stringify(r.trust));
    assert.equal(flare.status.state, 'warning');
    assert.equal(flare.status.background, 'statusBarItem.warningBackground');
    assert.match(flare.status.text, /^FLARE: bracket3d-elasticity · .* · warning: \S/);
    assert.ok(flare.status.text.includes(r.trust.headline), flare.status.text);
    assert.ok(flare.status.tooltip.includes(r.trust.reasons[0]), flare.status.tooltip);

    const findings = assertFindingsInProblems(flare, deck);
    assert.ok(findings.some((f) => f.severity === 'warning'));
    const problems = flareProblems(deck);
    // Deck-level findings (the envelope) sit at line 1; an element-type finding at the *ELEMENT line.
    assert.ok(problems.some((p) => p.code === 'flare.envelope' && p.range.start.line === 0 && p.severity === vscode.DiagnosticSeverity.Warning));
    const element = problems.find((p) => p.code === 'flare.element-type');
    assert.ok(element, 'an element-type finding for C3D8');
    assert.equal(element.range.start.line + 1, lineOf(deckText, /^\*ELEMENT/i), 'at the *ELEMENT line');
    assert.equal(element.severity, vscode.DiagnosticSeverity.Warning);
  });

  it('the preview of the out-of-family deck shows the banner over the predicted field, also after predicting in it', async () => {
    await vscode.commands.executeCommand('vscode.openWith', deck, 'flare.meshPreview');
    const opened = await capture();
    assert.ok(opened.state.banner?.visible, `banner when the preview opens after the prediction: ${JSON.stringify(opened.state.banner)}`);
    const r = await predict(deck);
    assert.equal(r.where, 'preview');
    const shown = await capture();
    const b = shown.state.banner;
    assert.ok(b && b.visible, JSON.stringify(shown.state.banner));
    assert.equal(b.level, 'warning');
    assert.match(b.title, /^[A-Z][^:]+: /);
    assert.ok(b.title.includes(r.trust.reasons[0]), b.title);
    assert.ok(shown.state.fields.some((f) => f.name === 'von_mises (predicted)'), 'the prediction is still shown');
  });

  it('the banner goes away and the status bar turns clean when the same file becomes an in-family deck', async () => {
    const flare = await api();
    await vscode.workspace.fs.writeFile(deck, await vscode.workspace.fs.readFile(inFamily));
    // Read the new content now rather than when the file watcher gets to it.
    await flare.diagnostics.parse(deck);
    const r = await predict(deck);
    assert.equal(r.trust.level, 'ok', JSON.stringify(r.trust));
    assert.equal(flare.status.state, 'done');
    assert.equal(flare.status.background, undefined);
    assert.doesNotMatch(flare.status.text, /warning/);
    const shown = await capture();
    assert.equal(shown.state.banner, undefined, JSON.stringify(shown.state.banner));
    assert.ok(!vscode.languages.getDiagnostics(deck).some((d) => d.code === 'flare.envelope' && d.severity === vscode.DiagnosticSeverity.Warning));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('in-family example deck: no warning state, no flare.* warnings', async () => {
    const flare = await api();
    const r = await predict(inFamily);
    assert.equal(r.trust.level, 'ok', JSON.stringify(r.trust));
    assert.equal(flare.status.state, 'done');
    assert.match(flare.status.text, /^FLARE: plate2d-elasticity · wasm \(Node\) · \d+(\.\d+)? m?s$/);
    assert.ok(!vscode.languages.getDiagnostics(inFamily).some((d) => typeof d.code === 'string' && d.code.startsWith('flare.') && d.severity <= vscode.DiagnosticSeverity.Warning));
  });

  it('a deck the check refuses (gravity only): red status, the findings in Problems at their lines, no prediction', async () => {
    const flare = await api();
    const grav = vscode.Uri.joinPath(folder(), 'trust', 'block-gravity.inp');
    const text = fs.readFileSync(path.resolve(__dirname, '../../../../test/fixtures/trust/block-gravity.inp'), 'utf8');
    await vscode.workspace.fs.writeFile(grav, new TextEncoder().encode(text));
    const r = (await vscode.commands.executeCommand('flare.predict', grav)) as PredictAnswer | undefined;
    assert.equal(r, undefined, 'no prediction');
    assert.equal(flare.status.state, 'error');
    const problems = vscode.languages.getDiagnostics(grav);
    const boundary = problems.find((p) => p.code === 'flare.boundary');
    assert.ok(boundary && boundary.severity === vscode.DiagnosticSeverity.Error, problems.map((p) => String(p.code)).join(', '));
    const gravity = problems.find((p) => p.code === 'flare.analysis');
    assert.ok(gravity, 'the GRAV load named');
    assert.equal(gravity.range.start.line + 1, lineOf(text, /^EALL, GRAV/));
  });

  it('a warning status clears when its file changes (no preview open, no re-prediction)', async () => {
    const flare = await api();
    await vscode.workspace.fs.writeFile(deck, new TextEncoder().encode(deckText));
    // Let the watcher see this write first (it is a change of the file too), and read the new content now.
    await new Promise((r) => setTimeout(r, 2_000));
    await flare.diagnostics.parse(deck);
    await predict(deck);
    assert.equal(flare.status.state, 'warning');
    await vscode.workspace.fs.writeFile(deck, new TextEncoder().encode(`** edited\n${deckText}`));
    await until('the warning to clear', () => flare.status.state !== 'warning');
    assert.equal(flare.status.state, 'idle');
    assert.equal(flare.status.background, undefined);
  });

  it('Check Mesh or Deck answers every time: "no problems found" or the counts', async () => {
    const clean = (await vscode.commands.executeCommand('flare.checkFile', inFamily)) as { level: string; message: string; errors: number };
    assert.equal(clean.level, 'info');
    assert.match(clean.message, /no problems found/);
    const bad = vscode.Uri.joinPath(folder(), 'trust', 'undefined-node.inp');
    await vscode.workspace.fs.writeFile(bad, new TextEncoder().encode('*NODE\n1, 0, 0, 0\n2, 1, 0, 0\n3, 0, 1, 0\n4, 0, 0, 1\n*ELEMENT, TYPE=C3D4\n1, 1, 2, 3, 4\n2, 1, 2, 3, 99\n'));
    const r = (await vscode.commands.executeCommand('flare.checkFile', bad)) as { level: string; message: string; errors: number };
    assert.equal(r.level, 'error');
    assert.ok(r.errors >= 1);
    assert.match(r.message, /\d+ errors?/);
    assert.ok(vscode.languages.getDiagnostics(bad).some((d) => d.severity === vscode.DiagnosticSeverity.Error), 'in Problems too');
  });

  it('Predict Fields on a plain mesh says what is missing; the context key offers it only on decks', async () => {
    const flare = await api();
    const res = readMesh(new TextEncoder().encode(deckText), FIXTURE);
    assert.ok(res.mesh);
    const vtu = vscode.Uri.joinPath(folder(), 'trust', 'block.vtu');
    await vscode.workspace.fs.writeFile(vtu, writeVtu({ ...res.mesh, deck: undefined }));
    const r = (await vscode.commands.executeCommand('flare.predict', vtu)) as PredictAnswer;
    assert.match(r.notPredictable ?? '', /plain mesh without supports or loads.*\*BOUNDARY.*\*CLOAD/);
    await vscode.commands.executeCommand('vscode.openWith', vtu, 'flare.meshPreview');
    await until('flare.activeIsDeck false on the .vtu preview', () => !flare.deckContext.active);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(inFamily));
    await until('flare.activeIsDeck true on a deck', () => flare.deckContext.active);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
