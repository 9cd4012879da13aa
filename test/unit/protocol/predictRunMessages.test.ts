import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseHostToWebview, parseWebviewToHost, type WebviewToHost } from '../../../extension/core/protocol/messages';
import { refuseMalformedRun, showRunFields } from '../../../webview/runtime/mountRuntime';

const run = { type: 'predictRun', requestId: 3, key: 'm', model: new Uint8Array(4), inputs: [{ name: 'x', data: new Float32Array(6), dims: [1, 3, 2] }], backend: 'wasm' };

test('predictRun: every flare.runtime.backend choice, typed arrays only', () => {
  for (const backend of ['auto', 'webgpu', 'wasm', 'engine']) assert.equal(parseHostToWebview({ ...run, backend })?.type, 'predictRun', backend);
  assert.equal(parseHostToWebview({ ...run, backend: 'node-cpu' }), undefined, 'no native CPU in a webview');
  // What Node's Buffer becomes after VS Code's webview serialization: JSON, not a Uint8Array.
  assert.equal(parseHostToWebview({ ...run, model: { type: 'Buffer', data: [0, 1, 2, 3] } }), undefined);
  assert.equal(parseHostToWebview({ ...run, inputs: [{ name: 'x', data: new Float32Array(5), dims: [1, 3, 2] }] }), undefined, 'dims must match the data');
});

test('a malformed predictRun is answered with predictError, so the host does not wait forever', () => {
  const sent: WebviewToHost[] = [];
  assert.equal(refuseMalformedRun({ ...run, model: { type: 'Buffer', data: [] } }, (m) => sent.push(m)), true);
  assert.equal(sent.length, 1);
  const m = sent[0];
  assert.ok(m.type === 'predictError' && m.requestId === 3 && m.code === 'bad-input', JSON.stringify(m));
  assert.equal(refuseMalformedRun({ type: 'surface' }, (x) => sent.push(x)), false);
  assert.equal(refuseMalformedRun({ type: 'predictRun' }, (x) => sent.push(x)), false, 'no request id to answer');
  assert.equal(sent.length, 1);
});

test('showRun: the page builds the arrays from the outputs it kept, and asks for them (runMissing) when it has none that fit', () => {
  const showRun = parseHostToWebview({ type: 'showRun', requestId: 7, points: 2, recipes: [{ name: 'von_mises', unit: 'MPa', output: 'von_mises', components: 1 }] });
  assert.ok(showRun?.type === 'showRun');
  const kept = { von_mises: { data: Float32Array.of(3, 4) } };
  const r = showRunFields(showRun, kept);
  assert.ok(r.ok);
  assert.deepEqual(r.fields, [{ name: 'von_mises (predicted)', components: 1, values: kept.von_mises.data, unit: 'MPa', source: 'prediction', show: true }]);
  // A page that reloaded since its run: nothing kept.
  const lost = showRunFields(showRun, undefined);
  assert.ok(!lost.ok && lost.answer.type === 'runMissing' && lost.answer.requestId === 7 && lost.why === undefined);
  assert.equal(parseWebviewToHost(lost.answer)?.type, 'runMissing', 'the answer validates on the host');
  // Outputs of another size: not shown, the host is asked for the arrays and told why.
  const odd = showRunFields(showRun, { von_mises: { data: Float32Array.of(1, 2, 3) } });
  assert.ok(!odd.ok && odd.answer.type === 'runMissing' && /do not fit/.test(odd.why ?? ''));
});
