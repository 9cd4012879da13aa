// Reliability in real VS Code: limit refusals with a working "raise the limit" fix, a burst of 600
// writes to 200 watched files with a preview open, faults mid-run (preview closed during a prediction,
// ccx killed during a verification), a malformed message to the preview, and — around the whole
// suite — the user's files left byte-identical.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as vscode from 'vscode';
import type { FlareApi } from '../../../extension/host/extension';
import { logged, tick, waitFor } from './hostLog';

const EXT_ID = 'flare-sim.flare-vscode';

async function api(): Promise<FlareApi> {
  const ext = vscode.extensions.getExtension<FlareApi>(EXT_ID);
  assert.ok(ext);
  return ext.isActive ? ext.exports : await ext.activate();
}

/** `p`, or a clear failure naming the step that hung. */
function within<T>(p: Thenable<T>, ms: number, what: string): Promise<T> {
  return Promise.race([Promise.resolve(p), new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms))]);
}

const folder = () => vscode.workspace.workspaceFolders![0].uri;

const encode = (s: string) => new TextEncoder().encode(s);
const errorsOf = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);

const GOOD = ['*HEADING', 'tet', '*NODE', '1, 0, 0, 0', '2, 1, 0, 0', '3, 0, 1, 0', '4, 0, 0, 1', '*ELEMENT, TYPE=C3D4, ELSET=E', '1, 1, 2, 3, 4', ''].join('\n');
/** Line 9 (0-based 8) names node 99, which does not exist. */
const BROKEN = GOOD.replace('1, 1, 2, 3, 4', '1, 1, 2, 3, 99');

// ── (c) The user's files: hashed before any test of the suite (a root hook), compared after all of them.
function listFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) listFiles(p, out);
    else if (e.isFile()) out.push(p);
  }
  return out;
}
const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const userFiles = new Map<string, string>();
let userDirs: string[] = [];

before(() => {
  const root = folder().fsPath;
  for (const f of listFiles(root)) userFiles.set(f, sha(f));
  // The folders of the user's decks and meshes (the solver and the exporter work beside them).
  userDirs = [...new Set([...userFiles.keys()].filter((f) => /\.(inp|frd|msh|vtu|vtk)$/i.test(f)).map((f) => path.dirname(f)))];
});

after(() => {
  const changed = [...userFiles].filter(([f, h]) => !fs.existsSync(f) || sha(f) !== h).map(([f]) => f);
  // Beside the user's decks, the only new files are exported VTU (no solver output, no scratch files).
  const added = userDirs.flatMap((d) => fs.readdirSync(d).map((n) => path.join(d, n))).filter((f) => fs.statSync(f).isFile() && !userFiles.has(f) && !/\.vtu$/i.test(f));
  console.log(`FLARE user files: ${userFiles.size} hashed before the suite, ${changed.length} changed after it, ${added.length} unexpected new files`);
  assert.deepEqual(changed, [], 'user files modified by the suite');
  assert.deepEqual(added, [], 'files written beside the user\'s decks');
});

describe('reliability: size limits offer a fix that works', function () {
  this.timeout(60_000);
  const cfg = () => vscode.workspace.getConfiguration('flare');
  afterEach(async () => {
    await cfg().update('limits.maxPoints', undefined, vscode.ConfigurationTarget.Workspace);
    await cfg().update('limits.maxFileSizeMB', undefined, vscode.ConfigurationTarget.Workspace);
  });

  async function quickFix(uri: vscode.Uri, title: string): Promise<vscode.CodeAction> {
    await vscode.workspace.openTextDocument(uri); // code actions are asked of an open document
    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(0, 0, 0, 1));
    const fix = actions.find((a): a is vscode.CodeAction => 'kind' in a && a.title === title);
    assert.ok(fix?.command, `quick fix "${title}" among ${JSON.stringify(actions.map((a) => a.title))}`);
    return fix;
  }

  it('a mesh over flare.limits.maxPoints gets a diagnostic; its quick fix raises the limit and the diagnostic goes away', async () => {
    await api();
    const uri = vscode.Uri.joinPath(folder(), 'reliability-limits', 'points.inp');
    await vscode.workspace.fs.writeFile(uri, encode(GOOD));
    await cfg().update('limits.maxPoints', 3, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('flare.checkFile', uri);
    const refused = vscode.languages.getDiagnostics(uri).find((d) => d.code === 'too-many-points');
    assert.ok(refused, JSON.stringify(vscode.languages.getDiagnostics(uri).map((d) => d.message)));
    // The prediction path refuses it too, cleanly (its notification carries the same action).
    assert.equal(await vscode.commands.executeCommand('flare.predict', uri), undefined);

    const fix = await quickFix(uri, 'Raise flare.limits.maxPoints to 4 points');
    assert.equal(fix.isPreferred, true);
    const r = (await vscode.commands.executeCommand(fix.command!.command, ...(fix.command!.arguments ?? []))) as { value: number; target: string; refused: boolean };
    assert.deepEqual(r, { setting: 'maxPoints', value: 4, target: 'Workspace', refused: false });
    assert.equal(cfg().inspect('limits.maxPoints')?.workspaceValue, 4);
    assert.equal(vscode.languages.getDiagnostics(uri).some((d) => d.code === 'too-many-points'), false, 'diagnostic gone after the fix');
  });

  it('a file over flare.limits.maxFileSizeMB is refused by stat before reading; the quick fix raises it to whole MB', async () => {
    const uri = vscode.Uri.joinPath(folder(), 'reliability-limits', 'big.inp');
    // 1.3 MB: the tet deck after 26 000 comment lines.
    await vscode.workspace.fs.writeFile(uri, encode(`${'** padding padding padding padding padding padding\n'.repeat(26_000)}${GOOD}`));
    await cfg().update('limits.maxFileSizeMB', 1, vscode.ConfigurationTarget.Workspace);
    const checked = (await vscode.commands.executeCommand('flare.checkFile', uri)) as { points: number };
    assert.equal(checked.points, 0, 'not read');
    const refused = vscode.languages.getDiagnostics(uri).find((d) => d.code === 'file-too-large');
    assert.ok(refused, JSON.stringify(vscode.languages.getDiagnostics(uri).map((d) => d.message)));
    assert.match(refused.message, /1\.3 MB, above flare\.limits\.maxFileSizeMB \(1 MB\)/);

    const fix = await quickFix(uri, 'Raise flare.limits.maxFileSizeMB to 2 MB');
    await vscode.commands.executeCommand(fix.command!.command, ...(fix.command!.arguments ?? []));
    assert.equal(cfg().inspect('limits.maxFileSizeMB')?.workspaceValue, 2);
    assert.equal(vscode.languages.getDiagnostics(uri).some((d) => d.code === 'file-too-large'), false);
    assert.equal(((await vscode.commands.executeCommand('flare.checkFile', uri)) as { points: number }).points, 4);
  });

  it('an *INCLUDE over flare.limits.maxFileSizeMB is refused before it is read, with the same fix', async () => {
    const dir = vscode.Uri.joinPath(folder(), 'reliability-limits');
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, 'big-part.inp'), encode(`${'** padding padding padding padding padding padding\n'.repeat(26_000)}*NODE\n1, 0, 0, 0\n2, 1, 0, 0\n3, 0, 1, 0\n4, 0, 0, 1\n`));
    const uri = vscode.Uri.joinPath(dir, 'includes.inp');
    await vscode.workspace.fs.writeFile(uri, encode('*HEADING\nincluded nodes\n*INCLUDE, INPUT=big-part.inp\n*ELEMENT, TYPE=C3D4, ELSET=E\n1, 1, 2, 3, 4\n'));
    await cfg().update('limits.maxFileSizeMB', 1, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('flare.checkFile', uri);
    const refused = vscode.languages.getDiagnostics(uri).find((d) => d.code === 'file-too-large');
    assert.ok(refused, JSON.stringify(vscode.languages.getDiagnostics(uri).map((d) => d.message)));
    assert.match(refused.message, /included file 'big-part\.inp' is 1\.3 MB/);
    const fix = await quickFix(uri, 'Raise flare.limits.maxFileSizeMB to 2 MB');
    await vscode.commands.executeCommand(fix.command!.command, ...(fix.command!.arguments ?? []));
    assert.equal(vscode.languages.getDiagnostics(uri).some((d) => d.code === 'file-too-large'), false);
    assert.equal(((await vscode.commands.executeCommand('flare.checkFile', uri)) as { points: number }).points, 4);
  });

  it('flare.raiseLimit ignores bad arguments', async () => {
    assert.equal(await vscode.commands.executeCommand('flare.raiseLimit', 'not a uri', 'maxPoints', 5), undefined);
    assert.equal(await vscode.commands.executeCommand('flare.raiseLimit', folder(), 'maxHeap', 5), undefined);
    assert.equal(cfg().inspect('limits.maxPoints')?.workspaceValue, undefined);
  });
});

/** Heap after a full collection: V8's gc made callable at run time (the extension host has no --expose-gc). */
function heapAfterGc(): number {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('reliability: load (200 watched files, 620 writes in about 10 s, preview open)', function () {
  this.timeout(180_000);
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('keeps the queue bounded, cancels superseded work, settles with diagnostics matching the last write, and gives the heap back', async () => {
    const flare = await api();
    const N = 200;
    const dir = vscode.Uri.joinPath(folder(), 'reliability-load');
    const files = Array.from({ length: N }, (_, i) => vscode.Uri.joinPath(dir, `m${String(i).padStart(3, '0')}.inp`));
    const finalBroken = (i: number) => i % 4 === 1;
    // Parsed once, so the watcher follows them; the first one is open in the preview (each change re-predicts it).
    for (const f of files) await vscode.workspace.fs.writeFile(f, encode(GOOD));
    for (const f of files) await vscode.commands.executeCommand('flare.checkFile', f);
    await vscode.commands.executeCommand('vscode.openWith', files[0], 'flare.meshPreview');
    await vscode.commands.executeCommand('flare.preview.capture', 60_000);
    await flare.watcher.settled();
    const heapBefore = heapAfterGc();
    const before = flare.watcher.stats();

    // Each file: three writes 20 ms apart (broken, good, final), one file every 50 ms; the previewed file
    // is rewritten every 500 ms on top. 200 × 3 + 20 = 620 writes over 10 s.
    let maxWaiting = 0;
    const sampler = setInterval(() => { maxWaiting = Math.max(maxWaiting, flare.watcher.stats().waiting); }, 20);
    const t0 = Date.now();
    let writes = 0;
    const write = async (i: number, text: string) => {
      await vscode.workspace.fs.writeFile(files[i], encode(`** write ${writes++}\n${text}`));
    };
    const jobs: Promise<void>[] = [];
    for (let i = 0; i < N; i++) {
      jobs.push((async () => {
        await tick(i * 45);
        await write(i, BROKEN);
        await tick(20);
        await write(i, GOOD);
        await tick(20);
        if (i !== 0) await write(i, finalBroken(i) ? BROKEN : GOOD);
      })());
    }
    jobs.push((async () => {
      for (let k = 0; k < 20; k++) {
        await tick(500);
        await write(0, k % 2 ? GOOD : BROKEN);
      }
      await write(0, finalBroken(0) ? BROKEN : GOOD);
    })());
    await Promise.all(jobs);
    const burstMs = Date.now() - t0;

    // Settled: every file's diagnostics say what its last write says, and nothing is left to do.
    const tEnd = Date.now();
    const wrong = () => files.filter((f, i) => {
      const e = errorsOf(f);
      return finalBroken(i) ? !e.some((d) => d.range.start.line === 9 && /99/.test(d.message)) : e.length > 0;
    });
    await waitFor('diagnostics of the last writes', () => (wrong().length === 0 ? true : undefined), 90_000);
    await flare.watcher.settled();
    const settleMs = Date.now() - tEnd;
    clearInterval(sampler);
    const after = flare.watcher.stats();
    await tick(500);
    const heapAfter = heapAfterGc();

    const figures = {
      files: N, writes, burstMs, settleMs,
      maxWaiting: Math.max(maxWaiting, after.peakWaiting), queueLimit: 32,
      parsesRun: after.completed - before.completed,
      debounced: after.debounced - before.debounced,
      superseded: after.superseded - before.superseded,
      dropped: after.dropped - before.dropped, retried: after.retried - before.retried,
      heapBeforeMB: +(heapBefore / 1048576).toFixed(1), heapAfterMB: +(heapAfter / 1048576).toFixed(1),
    };
    console.log(`FLARE load: ${JSON.stringify(figures)}`);
    assert.ok(figures.maxWaiting <= 32, 'queue bounded by its limit');
    assert.equal(after.scheduled, 0, 'nothing left waiting outside the queue');
    assert.ok(figures.superseded + figures.debounced > 0, 'pending or running work replaced by newer requests');
    assert.ok(figures.parsesRun < writes / 2, `changes merged: ${figures.parsesRun} parses for ${writes} writes`);
    assert.equal(wrong().length, 0);
    assert.ok(heapAfter - heapBefore < 16 * 1048576, `heap back near its baseline: ${figures.heapBeforeMB} → ${figures.heapAfterMB} MB`);
  });
});

describe('reliability: faults mid-run', function () {
  this.timeout(240_000);
  const unexpected: string[] = [];
  const onError = (e: unknown) => { unexpected.push(e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e)); };
  before(() => {
    process.on('unhandledRejection', onError);
    process.on('uncaughtException', onError);
  });
  after(async () => {
    process.off('unhandledRejection', onError);
    process.off('uncaughtException', onError);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  // Only errors from FLARE's own code count (the workbench has its own).
  const ours = () => unexpected.filter((s) => /flare|dist[\\/]extension\.js/i.test(s));

  it('the preview closed during a prediction: no uncaught error, the prediction completes, the next one reaches a new preview', async () => {
    const flare = await api();
    const deck = vscode.Uri.joinPath(folder(), 'plate2d', 'plate-02.inp');
    await vscode.commands.executeCommand('vscode.openWith', deck, 'flare.meshPreview');
    await within(vscode.commands.executeCommand('flare.preview.capture', 60_000), 70_000, 'first capture');
    const started = Date.now();
    const run = vscode.commands.executeCommand('flare.predict', deck);
    await tick(50); // under way: reading the deck, loading the model
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const closedAt = Date.now();
    const r = (await within(run, 120_000, 'flare.predict after its preview closed')) as { model: string } | undefined;
    assert.ok(r, 'the prediction completed');
    const rec = flare.predictions.last(deck);
    assert.ok(rec && rec.at > closedAt, `finished after the preview closed (${closedAt - started} ms in)`);
    console.log(`FLARE fault: preview closed ${closedAt - started} ms into the prediction, which completed ${rec.at - closedAt} ms later`);
    assert.deepEqual(ours(), []);

    await vscode.commands.executeCommand('vscode.openWith', deck, 'flare.meshPreview');
    await within(vscode.commands.executeCommand('flare.preview.capture', 60_000), 70_000, 'capture of the new preview');
    const again = (await within(vscode.commands.executeCommand('flare.predict', deck), 120_000, 'the next flare.predict')) as { model: string } | undefined;
    assert.equal(again?.model, 'plate2d-elasticity');
    const cap = await waitFor('the predicted field in the new preview', async () => {
      const c = (await within(vscode.commands.executeCommand('flare.preview.capture', 20_000), 30_000, 'capture after the prediction')) as { state: { fields: { name: string }[] } };
      return c.state.fields.some((f) => /von_mises \(predicted\)/.test(f.name)) ? c : undefined;
    }, 60_000, 500);
    assert.ok(cap);
    assert.deepEqual(ours(), []);
  });

  it('a malformed message to the preview is dropped by the webview and the host logs its warning', async () => {
    const flare = await api();
    const deck = vscode.Uri.joinPath(folder(), 'plate2d', 'plate-01.inp');
    await vscode.commands.executeCommand('vscode.openWith', deck, 'flare.meshPreview');
    await within(vscode.commands.executeCommand('flare.preview.capture', 60_000), 70_000, 'preview capture');
    // Plain numbers where a Float32Array belongs: parseHostToWebview refuses it in the webview.
    const delivered = await vscode.commands.executeCommand('flare.preview.showFields', deck, { name: 'bad', components: 1, values: [1, 2, 3] });
    assert.equal(delivered, 1);
    await logged(flare, /\[warn(ing)?\] preview: dropped malformed message from host/);
    const after = (await within(vscode.commands.executeCommand('flare.preview.capture', 30_000), 40_000, 'capture after the bad message')) as { state: { statusIsError: boolean; fields: { name: string }[] } };
    assert.equal(after.state.statusIsError, false, 'the preview still works');
    assert.ok(!after.state.fields.some((f) => f.name === 'bad'));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('ccx killed during flare.verifyWithSolver: reported, scratch folder removed, the next verification works', async () => {
    await api();
    // plate-02 made slow: NLGEOM with 500 fixed increments runs > 60 s in ccx, so the kill lands mid-run.
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder(), 'plate2d', 'plate-02.inp')));
    assert.ok(text.includes('*STEP\n*STATIC\n'));
    const dir = vscode.Uri.joinPath(folder(), 'reliability-fault');
    const slow = vscode.Uri.joinPath(dir, 'slow.inp');
    await vscode.workspace.fs.writeFile(slow, encode(text.replace('*STEP\n*STATIC\n', '*STEP, NLGEOM, INC=100000\n*STATIC, DIRECT\n0.002, 1.\n')));
    const scratchBefore = new Set(fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('flare-ccx-')));

    const run = vscode.commands.executeCommand('flare.verifyWithSolver', slow);
    // The run's scratch folder is the new one holding our deck; ccx is the process working in it.
    const scratch = await waitFor('the ccx scratch folder', () => fs.readdirSync(os.tmpdir()).find((n) => n.startsWith('flare-ccx-') && !scratchBefore.has(n) && fs.existsSync(path.join(os.tmpdir(), n, 'slow.inp'))), 120_000);
    const scratchDir = path.join(os.tmpdir(), scratch);
    const pid = await waitFor('the ccx process', () => {
      for (const p of fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
        try {
          if (fs.readlinkSync(`/proc/${p}/cwd`) === scratchDir && /ccx/.test(fs.readFileSync(`/proc/${p}/cmdline`, 'latin1'))) return Number(p);
        } catch { /* gone or not ours */ }
      }
      return undefined;
    }, 30_000);
    await tick(1000); // mid-run: increments are being written
    process.kill(pid, 'SIGKILL');
    const r = await run;
    assert.equal(r, undefined, 'no result from a killed solver');
    await logged(await api(), /\[error\] verification: ccx failed: ccx was killed \(SIGKILL\)/);
    assert.equal(fs.existsSync(scratchDir), false, 'scratch folder removed');
    assert.deepEqual(fs.readdirSync(dir.fsPath), ['slow.inp'], 'nothing written beside the deck');

    const quick = vscode.Uri.joinPath(folder(), 'plate2d', 'plate-02.inp');
    const ok = (await vscode.commands.executeCommand('flare.verifyWithSolver', quick)) as { ccxMs: number; fields: { field: string; relativeL2: number }[] } | undefined;
    assert.ok(ok && ok.ccxMs > 0, 'the next verification runs');
    assert.ok(ok.fields.find((f) => f.field === 'von_mises')!.relativeL2 < 0.45);
    const leftover = fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('flare-ccx-') && !scratchBefore.has(n) && fs.existsSync(path.join(os.tmpdir(), n, 'plate-02.inp')));
    assert.deepEqual(leftover, [], 'no scratch folder left by either run');
    assert.deepEqual(ours(), []);
    console.log(`FLARE fault: ccx pid ${pid} killed mid-run, scratch ${scratch} removed, next verification ${ok.ccxMs.toFixed(0)} ms`);
  });
});
