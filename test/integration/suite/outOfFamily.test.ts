// Issue 15 in real VS Code, for every deck of the out-of-family corpus (test/fixtures/out-of-family,
// copied into the test workspace by run-code-server.mjs): Predict Fields gives a warning status bar
// naming the reason, the findings in Problems at the deck lines that cause them, and the banner over
// the predicted field in the preview; a deck the model cannot run on gives a red status naming why,
// its findings in Problems, no prediction. What each deck must get is the table the CLI test checks
// (`flare predict --json --strict`, test/unit/cli/outOfFamily.test.ts): ../../fixtures/out-of-family/cases.ts.
// Also: the pressure-only plate predicts with its true load, the same field as the equivalent *CLOAD deck.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CASES, lineOf, type Case } from '../../fixtures/out-of-family/cases';
import { api, assertFindingsInProblems, capture, findingMessage, flareProblems, folder, predict, predictOrFail, SEVERITY } from './trustHelpers';

const deckUri = (name: string): vscode.Uri => vscode.Uri.joinPath(folder(), 'out-of-family', name);
const readText = async (uri: vscode.Uri): Promise<string> => new TextDecoder('latin1').decode(await vscode.workspace.fs.readFile(uri));
const close = () => vscode.commands.executeCommand('workbench.action.closeAllEditors');

/** Each expected finding of the table is in Problems with its severity, at the first deck line matching its `at` (deck-level ones at line 1). */
function assertExpectedProblems(c: Case, uri: vscode.Uri, text: string): void {
  const problems = flareProblems(uri);
  const have = () => problems.map((p) => `${String(p.code)}@${p.range.start.line + 1} ${p.severity}: ${findingMessage(p)}`).join('\n  ');
  for (const e of c.expect) {
    const line = e.at ? lineOf(text, e.at) : 1;
    assert.ok(line >= 1, `${c.deck}: no line matches ${e.at}`);
    const hit = problems.find((p) => p.code === `flare.${e.code}` && p.severity === SEVERITY[e.severity] && p.range.start.line === line - 1 && (!e.message || e.message.test(findingMessage(p))));
    assert.ok(hit, `${c.deck}: ${e.severity} flare.${e.code} at line ${line} ${e.message ?? ''} in Problems; have:\n  ${have()}`);
  }
  for (const a of c.absent ?? []) assert.ok(!problems.some((p) => p.code === `flare.${a}` && p.severity <= vscode.DiagnosticSeverity.Warning), `${c.deck}: no flare.${a} expected; have:\n  ${have()}`);
}

describe('out of family: every corpus deck in VS Code', function () {
  this.timeout(300_000);
  const cfg = () => vscode.workspace.getConfiguration('flare');

  before(async () => {
    await api();
    await cfg().update('runtime.backend', 'wasm', vscode.ConfigurationTarget.Workspace);
    await close();
    const there = (await vscode.workspace.findFiles('out-of-family/*.inp')).map((u) => u.path.slice(u.path.lastIndexOf('/') + 1)).sort();
    assert.deepEqual(there, CASES.map((c) => c.deck).sort(), 'the corpus in the workspace (run-code-server.mjs copies it) is the table\'s');
  });

  after(async () => {
    await cfg().update('runtime.backend', undefined, vscode.ConfigurationTarget.Workspace);
    await close();
  });

  for (const c of CASES) {
    const codes = c.expect.map((e) => `${e.severity === 'error' ? 'E:' : ''}${e.code}`).join(', ');
    const what = c.exit === 3 ? 'warning status naming the reason, Problems at the lines, banner over the predicted field' : 'red status naming the reason, Problems at the lines, no prediction';
    it(`${c.deck} (${codes}): ${what}`, async () => {
      const flare = await api();
      const uri = deckUri(c.deck);
      const text = await readText(uri);
      const r = await predictOrFail(uri);
      assertExpectedProblems(c, uri, text);
      // The reader has nothing against any of them (ccx reads them all, the assembly included).
      const check = (await vscode.commands.executeCommand('flare.checkFile', uri)) as { errors: number; message: string };
      assert.equal(check.errors, 0, check.message);
      assert.deepEqual(vscode.languages.getDiagnostics(uri).filter((d) => !String(d.code).startsWith('flare.') && d.severity === vscode.DiagnosticSeverity.Error).map((d) => d.message), []);

      if (c.exit === 3) {
        assert.ok(r && !r.notPredictable && r.trust, `${c.deck}: a prediction (${JSON.stringify(r)})`);
        assert.equal(r.trust.level, 'warning', JSON.stringify(r.trust));
        assert.equal(flare.status.state, 'warning');
        assert.equal(flare.status.background, 'statusBarItem.warningBackground');
        assert.ok(flare.status.text.endsWith(` · warning: ${r.trust.headline}`), flare.status.text);
        for (const reason of r.trust.reasons) assert.ok(flare.status.tooltip.includes(reason), `tooltip names "${reason}": ${flare.status.tooltip}`);
        for (const e of c.expect) if (e.message) assert.ok(r.trust.reasons.some((m) => e.message!.test(m)), `${e.message} among the reasons ${JSON.stringify(r.trust.reasons)}`);
        assertFindingsInProblems(flare, uri);
        const vm = r.fields.find((f) => f.name === 'von_mises');
        assert.ok(vm && vm.max > 0, `a von Mises field: ${JSON.stringify(r.fields)}`);

        // The preview opened on the prediction: the banner over the predicted field, with every reason.
        await vscode.commands.executeCommand('vscode.openWith', uri, 'flare.meshPreview');
        const shown = await capture();
        const b = shown.state.banner;
        assert.ok(b?.visible, `${c.deck}: banner ${JSON.stringify(b)}`);
        assert.equal(b.level, 'warning');
        assert.ok(b.title.includes(r.trust.reasons[0]), b.title);
        assert.deepEqual(b.details, r.trust.reasons);
        assert.ok(shown.state.fields.some((f) => f.name === 'von_mises (predicted)'), `the predicted field is shown: ${JSON.stringify(shown.state.fields.map((f) => f.name))}`);
        await close();
      } else {
        assert.ok(c.error, 'a refused deck names its error');
        if (c.error.code === 'not-a-deck') assert.match(r?.notPredictable ?? '', c.error.message, JSON.stringify(r));
        else assert.equal(r, undefined, `${c.deck}: no prediction (${JSON.stringify(r)})`);
        assert.equal(flare.predictions.last(uri), undefined, 'no prediction recorded');
        assert.equal(flare.status.state, 'error', `${c.deck}: status ${flare.status.text}`);
        assert.equal(flare.status.background, 'statusBarItem.errorBackground');
        assert.match(flare.status.tooltip, c.error.message);
        for (const re of c.error.lines ?? []) assert.ok(flare.status.tooltip.includes(`${c.deck}:${lineOf(text, re)}`), `${re} line in: ${flare.status.tooltip}`);
      }
    });
  }

  it('plate-pressure-cps6.inp predicts with its true load: the field of the equivalent *CLOAD deck (forces by hand)', async () => {
    const flare = await api();
    const uri = deckUri('plate-pressure-cps6.inp');
    const text = await readText(uri);
    const equivalent = vscode.Uri.joinPath(folder(), 'out-of-family-scratch', 'plate-pressure-as-cload.inp');
    await vscode.workspace.fs.writeFile(equivalent, new TextEncoder().encode(pressureAsCload(text)));
    if (!flare.predictions.last(uri)) await predict(uri);
    const p = flare.predictions.last(uri);
    await predict(equivalent);
    const q = flare.predictions.last(equivalent);
    assert.ok(p && q);
    for (const f of [...p.prediction.findings, ...q.prediction.findings]) assert.ok(f.code !== 'boundary' && !/add up to zero|no load/.test(f.message), JSON.stringify(f));
    const vm = p.prediction.fields.find((f) => f.name === 'von_mises');
    assert.ok(vm);
    // 50 MPa pulls on the edge: the nominal stress is 50 MPa (60 MPa net of the hole), ccx's peak 164 MPa.
    const max = vm.values.reduce((a, v) => Math.max(a, v), 0);
    assert.ok(max > 50 && max < 500, `max von Mises ${max} MPa`);
    assert.deepEqual(q.prediction.fields.map((f) => f.name), p.prediction.fields.map((f) => f.name));
    for (const f of p.prediction.fields) {
      const g: Float32Array | undefined = q.prediction.fields.find((x) => x.name === f.name)?.values;
      assert.equal(g?.length, f.values.length);
      let scale = 0;
      let diff = 0;
      for (let i = 0; i < f.values.length; i++) {
        scale = Math.max(scale, Math.abs(f.values[i]));
        diff = Math.max(diff, Math.abs(f.values[i] - g![i]));
      }
      assert.ok(scale > 0 && diff <= 1e-6 * scale, `${f.name}: max |pressure − cload| ${diff} against max ${scale}`);
    }
  });
});

/**
 * The plate deck with its *DLOAD edge pressures (CPS6, straight edges) replaced by the equivalent
 * nodal forces, by hand: each edge carries −p·t·L along its outward normal, 1/6 to each end, 2/3 to its middle node.
 */
function pressureAsCload(text: string): string {
  const lines = text.split(/\r?\n/);
  const block = (re: RegExp): string[] => {
    const i = lines.findIndex((l) => re.test(l));
    assert.ok(i >= 0, `${re}`);
    const end = lines.findIndex((l, k) => k > i && l.startsWith('*'));
    return lines.slice(i + 1, end);
  };
  const nums = (l: string) => l.split(',').map(Number);
  const xy = new Map(block(/^\*NODE/i).map((l) => { const [id, x, y] = nums(l); return [id, [x, y] as const]; }));
  const elems = new Map(block(/^\*ELEMENT, TYPE=CPS6/i).map((l) => { const [id, ...n] = nums(l); return [id, n]; }));
  const t = nums(block(/^\*SOLID SECTION/i)[0])[0];
  const forces = new Map<number, [number, number]>();
  const add = (n: number, fx: number, fy: number) => { const f = forces.get(n) ?? [0, 0]; forces.set(n, [f[0] + fx, f[1] + fy]); };
  const dload = block(/^\*DLOAD/i);
  for (const l of dload) {
    const [e, face, p] = l.split(',').map((s) => s.trim());
    const n = elems.get(Number(e));
    assert.ok(n, `element ${e}`);
    const [a, b, m] = [[0, 1, 3], [1, 2, 4], [2, 0, 5]][Number(face.slice(1)) - 1].map((k) => n[k]);
    const [p0, p1, p2] = [n[0], n[1], n[2]].map((id) => xy.get(id)!);
    const ccw = (p1[0] - p0[0]) * (p2[1] - p0[1]) - (p1[1] - p0[1]) * (p2[0] - p0[0]) > 0 ? 1 : -1;
    const [pa, pb] = [xy.get(a)!, xy.get(b)!];
    // Outward normal times the edge length: (dy, −dx) for a counter-clockwise element.
    const [nx, ny] = [ccw * (pb[1] - pa[1]), -ccw * (pb[0] - pa[0])];
    const [fx, fy] = [-Number(p) * t * nx, -Number(p) * t * ny];
    for (const [node, w] of [[a, 1 / 6], [b, 1 / 6], [m, 2 / 3]] as const) add(node, w * fx, w * fy);
  }
  const cload = ['*CLOAD', ...[...forces].flatMap(([n, [fx, fy]]) => [...(fx !== 0 ? [`${n}, 1, ${fx}`] : []), ...(fy !== 0 ? [`${n}, 2, ${fy}`] : [])])];
  const at = lines.findIndex((l) => /^\*DLOAD/i.test(l));
  return [...lines.slice(0, at), ...cload, ...lines.slice(at + 1 + dload.length)].join('\n');
}
