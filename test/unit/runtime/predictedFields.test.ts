// The preview that ran a prediction builds its arrays from the outputs it kept, with the function
// the host builds the record's with: plate-01 through the host's path with the webview runner (the
// real bridge over onnxruntime-web's wasm in Node, joined by structuredClone as postMessage is).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readMesh } from '../../../extension/core/mesh/index';
import { createNodeRuntime } from '../../../extension/core/runtime/node';
import { nodeModelFiles } from '../../../extension/core/runtime/nodeModelFiles';
import { predictDeck } from '../../../extension/core/runtime/pipeline';
import { RuntimeBridge } from '../../../extension/core/runtime/bridge';
import { fieldRecipes, predictedFields, previewFields, previewFieldsFromOutputs } from '../../../extension/core/runtime/predictedFields';
import { parseHostToWebview, parseWebviewToHost, type HostToWebview } from '../../../extension/core/protocol/messages';
import { WebviewRuntimeClient } from '../../../extension/host/webviewRuntimeClient';

const PLATE = path.resolve(__dirname, '../../../examples/plate2d/plate-01.inp');
const bits = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);

test('a webview run: the page builds the same preview arrays from its kept outputs as the host from the ones it was sent', async () => {
  const runtime = await createNodeRuntime({ backends: ['wasm'], wasmThreads: 1 });
  try {
    // The page's bridge is made below; the client posts to it only once a run starts.
    const client: WebviewRuntimeClient = new WebviewRuntimeClient(async (m) => {
      const msg = parseHostToWebview(structuredClone(m));
      assert.ok(msg);
      page.handle(msg);
      return true;
    }, () => 'wasm');
    const page = new RuntimeBridge(runtime, (m, transfer) => {
      const msg = parseWebviewToHost(structuredClone(m, { transfer: transfer ?? [] }));
      assert.ok(msg, `well-formed answer ${m.type}`);
      client.handle(msg);
    });
    const mesh = readMesh(fs.readFileSync(PLATE), PLATE).mesh!;
    const r = await predictDeck(mesh, { model: { setting: 'auto', allowFiles: true }, files: nodeModelFiles(), runner: () => Promise.resolve(client) });
    assert.ok(r.ok, r.ok ? '' : r.error);
    const p = r.prediction;
    assert.equal(p.points, 4876);
    assert.ok(p.keptAs !== undefined, 'the runner says where the page keeps the outputs');
    assert.deepEqual(p.recipes.map((x) => `${x.name}<-${x.output}${x.derive ? `:${x.derive}` : ''}`), ['von_mises<-von_mises', 'displacement<-displacement', 'stress<-stress', 'max_principal<-stress:max_principal']);

    // What the host would tell the page, through the validator as the page receives it.
    const showRun = parseHostToWebview(structuredClone({ type: 'showRun', requestId: p.keptAs, points: p.points, recipes: p.recipes } satisfies HostToWebview));
    assert.ok(showRun?.type === 'showRun', 'showRun validates');
    const kept = page.keptOutputs(showRun.requestId);
    assert.ok(kept, 'the page kept the outputs');
    const inPage = previewFieldsFromOutputs(showRun.recipes, kept, showRun.points);
    assert.ok(inPage.ok, inPage.ok ? '' : inPage.error);
    const onHost = previewFields(p.fields);
    assert.deepEqual(inPage.value.map((f) => ({ ...f, values: undefined })), onHost.map((f) => ({ ...f, values: undefined })), 'names, units, components, source, show');
    for (const [i, f] of onHost.entries()) {
      const w: Float32Array = inPage.value[i].values;
      assert.ok(w instanceof Float32Array);
      assert.notEqual(w.buffer, f.values.buffer, `${f.name}: the page's own array, not the host's`);
      assert.deepEqual(bits(w), bits(f.values), `${f.name}: bit for bit`);
    }
    assert.equal(onHost.find((f) => f.show)?.name, 'von_mises (predicted)');
  } finally {
    await runtime.dispose();
  }
});

test('outputs that do not fit the recipes are refused, not guessed', () => {
  const n = 2;
  const card = [{ name: 'von_mises', shape: ['B', 'N'], unit: 'MPa', scaling: '' }, { name: 'stress', shape: ['B', 'N', 6], unit: 'MPa', scaling: '' }];
  const outputs = { von_mises: { data: Float32Array.of(1, 2) }, stress: { data: Float32Array.of(1, 2, 3, 0, 0, 0, 5, 5, 5, 0, 0, 0) } };
  const recipes = fieldRecipes(card, outputs, n);
  assert.ok(recipes.ok);
  const f = predictedFields(recipes.value, outputs, n);
  assert.ok(f.ok);
  assert.deepEqual([...f.value.find((x) => x.name === 'max_principal')!.values], [3, 5]);
  assert.equal(f.value[0].values, outputs.von_mises.data, 'an output as is: no copy');
  assert.ok(!predictedFields(recipes.value, { von_mises: outputs.von_mises }, n).ok, 'a missing output');
  assert.ok(!predictedFields(recipes.value, outputs, 3).ok, 'another point count');
  assert.ok(!fieldRecipes(card, outputs, 5).ok);
  assert.equal(parseHostToWebview({ type: 'showRun', requestId: 1, points: 2, recipes: [{ name: 'x', unit: '', output: 'x', components: 1, derive: 'eval' }] }), undefined, 'an unknown derivation');
  assert.equal(parseHostToWebview({ type: 'showRun', requestId: 1, points: -1, recipes: [] }), undefined);
});
