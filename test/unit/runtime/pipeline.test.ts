// One pipeline for the CLI and the extension: the same deck through `flare predict` and through the
// extension host's path (predictDeck with the preview runner first and the host's in-process runner
// as the fallback) gives the same fields to the last bit, plane thickness included.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../extension/cli/main';
import { readMesh, type Mesh } from '../../../extension/core/mesh/index';
import { createNodeRuntime } from '../../../extension/core/runtime/node';
import { nodeModelFiles } from '../../../extension/core/runtime/nodeModelFiles';
import { predictDeck, type DeckPrediction } from '../../../extension/core/runtime/pipeline';
import { InProcessRunner, type ModelRunner, type RunnerResult } from '../../../extension/core/runtime/runner';
import type { Tensors } from '../../../extension/core/runtime/backend';
import type { FlareRuntime } from '../../../extension/core/runtime/runtime';

const ROOT = path.resolve(__dirname, '../../..');
const PLATE = path.join(ROOT, 'examples/plate2d/plate-01.inp');
const SECTION = /(\*SOLID SECTION, ELSET=PART, MATERIAL=MAT\r?\n)1\r?\n/;

/** plate-01 with its *SOLID SECTION thickness set to `t`, in a scratch folder. */
function plateWithThickness(dir: string, t: number): string {
  const text = fs.readFileSync(PLATE, 'utf8');
  assert.match(text, SECTION, 'plate-01 has a *SOLID SECTION with thickness 1');
  const file = path.join(dir, `plate-t${t}.inp`);
  fs.writeFileSync(file, text.replace(SECTION, `$1${t}\n`));
  return file;
}

function read(file: string): Mesh {
  const r = readMesh(fs.readFileSync(file), file);
  assert.ok(r.mesh, JSON.stringify(r.diagnostics.filter((d) => d.severity === 'error')));
  return r.mesh;
}

type CliFields = Record<string, { components: number; values: Float32Array }>;

/** `flare predict --out X.vtu`: float32 binary arrays, so the comparison is bit for bit (JSON would drop -0). */
async function viaCli(deck: string, out: string): Promise<{ fields: CliFields; stdout: string }> {
  let err = '';
  let stdout = '';
  const code = await main(['predict', deck, '--backend', 'wasm', '--out', out], { out: (t) => void (stdout += t), err: (t) => void (err += t) });
  assert.ok(code === 0 || code === 3, `flare predict exited ${code}: ${err}`);
  const fields: CliFields = {};
  for (const a of read(out).pointData) {
    if (a.name === 'node_id') continue;
    assert.ok(a.values instanceof Float32Array, `${a.name} as float32`);
    fields[a.name] = { components: a.components, values: a.values };
  }
  return { fields, stdout };
}

/** The preview's runner when its webview cannot run: the host falls back with the same inputs. */
class LostWebview implements ModelRunner {
  readonly kind = 'webview';
  readonly description = 'the preview webview';
  readonly seen: Tensors[] = [];
  run(_model: unknown, inputs: Tensors): Promise<RunnerResult> {
    this.seen.push(inputs);
    return Promise.resolve({ ok: false, error: { code: 'unavailable', message: 'the preview was hidden' }, notes: [] });
  }
}

/** A runner that records its inputs and hands them on. */
class Recording implements ModelRunner {
  readonly kind;
  readonly description;
  readonly seen: Tensors[] = [];
  constructor(private readonly inner: ModelRunner) {
    this.kind = inner.kind;
    this.description = inner.description;
  }
  run(...a: Parameters<ModelRunner['run']>): Promise<RunnerResult> {
    this.seen.push(a[1]);
    return this.inner.run(...a);
  }
}

/** The extension host's path: the preview runner when one is open, the host's own as the fallback. */
function viaHost(mesh: Mesh, runtime: FlareRuntime, preview?: ModelRunner): { run: Promise<DeckPrediction<string>>; host: Recording } {
  const host = new Recording(new InProcessRunner(runtime, 'auto', 'the extension host (Node)'));
  const run = predictDeck(mesh, {
    model: { setting: 'auto', allowFiles: true }, files: nodeModelFiles(),
    runner: () => Promise.resolve(preview ?? host), fallback: () => Promise.resolve(host),
  });
  return { run, host };
}

function assertSameFields(cli: CliFields, host: Extract<DeckPrediction<string>, { ok: true }>, label: string): void {
  assert.deepEqual(Object.keys(cli).sort(), host.prediction.fields.map((f) => f.name).sort(), label);
  for (const f of host.prediction.fields) {
    const c = cli[f.name];
    assert.equal(c.components, f.components, `${label} ${f.name} components`);
    const bits = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);
    assert.deepEqual(bits(c.values), bits(f.values), `${label} ${f.name} values, bit for bit`);
  }
}

test('the same deck through the CLI and the extension host path gives identical fields (thickness 1 and 2.5)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flare-pipeline-'));
  // The host's runtime: wasm only, as PredictionService.getRuntime makes it.
  const runtime = await createNodeRuntime({ backends: ['wasm'] });
  try {
    const vm: Record<string, Float32Array> = {};
    for (const [label, deck] of [['t=1', PLATE], ['t=2.5', plateWithThickness(dir, 2.5)]] as const) {
      const cli = await viaCli(deck, path.join(dir, `${label}.vtu`));
      assert.match(cli.stdout, /backend\s+wasm/);
      const mesh = read(deck);
      const { run, host } = viaHost(mesh, runtime);
      const r = await run;
      assert.ok(r.ok, r.ok ? '' : r.error);
      assert.equal(r.model.name, 'plate2d-elasticity', 'a plane deck gets the 2D model');
      assert.equal(r.runner, host);
      assert.equal(r.prediction.backend, 'wasm');
      assert.equal(r.prediction.scales.thickness, label === 't=1' ? 1 : 2.5, 'thickness from the *SOLID SECTION');
      assertSameFields(cli.fields, r, label);
      vm[label] = r.prediction.fields.find((f) => f.name === 'von_mises')!.values;
    }
    // The same loads on a thicker plate: lower stresses (the bug was that the host ignored the thickness).
    const max = (a: Float32Array) => a.reduce((m, v) => Math.max(m, v), 0);
    assert.ok(max(vm['t=2.5']) < 0.8 * max(vm['t=1']), `von Mises max ${max(vm['t=2.5'])} (t=2.5) vs ${max(vm['t=1'])} (t=1)`);
  } finally {
    await runtime.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a preview that cannot run: the host falls back with the very inputs the preview was given, and says so', async () => {
  const runtime = await createNodeRuntime({ backends: ['wasm'] });
  try {
    const webview = new LostWebview();
    const fallbacks: string[] = [];
    const host = new Recording(new InProcessRunner(runtime, 'auto', 'the extension host (Node)'));
    const r = await predictDeck(read(PLATE), {
      model: { setting: 'auto', allowFiles: true }, files: nodeModelFiles(),
      runner: () => Promise.resolve(webview), fallback: () => Promise.resolve(host), hooks: { onFallback: (why) => fallbacks.push(why) },
    });
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.equal(r.runner, host);
    assert.equal(webview.seen.length, 1);
    assert.equal(host.seen.length, 1);
    assert.equal(host.seen[0], webview.seen[0], 'the same input tensors, not rebuilt');
    const why = 'the preview webview could not run plate2d-elasticity (the preview was hidden); running it in the extension host (Node) instead';
    assert.deepEqual(fallbacks, [why]);
    assert.deepEqual(r.notes, [why]);
  } finally {
    await runtime.dispose();
  }
});

test('a cancelled run is not handed to the fallback', async () => {
  const ctl = new AbortController();
  const calls: string[] = [];
  const cancelling: ModelRunner = {
    kind: 'webview', description: 'the preview webview',
    run: () => { calls.push('webview'); ctl.abort(); return Promise.resolve({ ok: false, error: { code: 'cancelled', message: 'cancelled' }, notes: [] }); },
  };
  const never: ModelRunner = { kind: 'in-process', description: 'host', run: () => { calls.push('host'); throw new Error('not reached'); } };
  const r = await predictDeck(read(PLATE), {
    model: { setting: 'auto', allowFiles: true }, files: nodeModelFiles(), signal: ctl.signal,
    runner: () => Promise.resolve(cancelling), fallback: () => Promise.resolve(never),
  });
  assert.ok(!r.ok && r.code === 'cancelled');
  assert.deepEqual(calls, ['webview']);
});

test('without a preview the host runner is also the fallback: a failure is not retried on it', async () => {
  let calls = 0;
  const host: ModelRunner = {
    kind: 'in-process', description: 'the extension host (Node)',
    run: () => { calls++; return Promise.resolve({ ok: false, error: { code: 'too-large', message: 'too many points' }, notes: [] }); },
  };
  const r = await predictDeck(read(PLATE), {
    model: { setting: 'auto', allowFiles: true }, files: nodeModelFiles(),
    runner: () => Promise.resolve(host), fallback: () => Promise.resolve(host),
  });
  assert.ok(!r.ok && r.code === 'too-large' && r.model?.name === 'plate2d-elasticity');
  assert.equal(calls, 1);
});
