// The host's runtime bridge client against the real webview side (RuntimeBridge over a real runtime,
// onnxruntime-web's wasm in Node), joined by structuredClone with transfer as postMessage is.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WebviewRuntimeClient } from '../../../extension/host/webviewRuntimeClient';
import { RuntimeBridge } from '../../../extension/core/runtime/bridge';
import { createNodeRuntime } from '../../../extension/core/runtime/node';
import { openModel } from '../../../extension/core/runtime/model';
import { readNpy, toFloat32 } from '../../../extension/core/runtime/npy';
import { parseHostToWebview, parseWebviewToHost, type HostToWebview } from '../../../extension/core/protocol/messages';

const REF = path.resolve(__dirname, '../../../../shared/reference');

async function setup() {
  const webviewRuntime = await createNodeRuntime({ backends: ['wasm'], wasmThreads: 1 });
  const sent: HostToWebview[] = [];
  // A page: its bridge answers through the client's handle, like the preview's messages do.
  const page = { bridge: undefined as RuntimeBridge | undefined, drop: false };
  const newPage = () => (page.bridge = new RuntimeBridge(webviewRuntime, (m, transfer) => {
    const msg = parseWebviewToHost(structuredClone(m, { transfer: transfer ?? [] }));
    assert.ok(msg, `well-formed answer ${m.type}`);
    client.handle(msg);
  }));
  const client: WebviewRuntimeClient = new WebviewRuntimeClient(async (m) => {
    sent.push(m);
    if (page.drop) return true; // taken, never answered (the page went away)
    const msg = parseHostToWebview(structuredClone(m));
    assert.ok(msg, `well-formed request ${m.type}`);
    page.bridge!.handle(msg);
    return true;
  }, () => 'wasm');
  newPage();
  const bytes = new Uint8Array(fs.readFileSync(path.join(REF, 'flare_small.onnx')));
  const o = openModel(Buffer.from(bytes), 'flare_small');
  assert.ok(o.ok);
  const x = readNpy(fs.readFileSync(path.join(REF, 'x.npy')));
  assert.ok(x.ok);
  const inputs = { x: { data: toFloat32(x.array), dims: x.array.shape } };
  return { webviewRuntime, client, sent, page, newPage, model: o.model.handle, inputs };
}

test('webview runtime client: outputs equal a direct run, the model travels once, a new page gets it again', async () => {
  const s = await setup();
  try {
    const direct = await s.webviewRuntime.run({ model: s.model, inputs: s.inputs, backend: 'wasm' });
    assert.ok(direct.ok);
    const r = await s.client.run(s.model, s.inputs);
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    assert.deepEqual(r.outputs.y.data, direct.outputs.y.data);
    // The runner says what it is and which back end the webview used: no stand-in name.
    assert.equal(s.client.kind, 'webview');
    assert.equal(r.backend, 'wasm');
    const first = s.sent[0];
    assert.ok(first.type === 'predictRun' && first.model.byteLength > 0 && first.model.constructor === Uint8Array, 'model bytes as a plain Uint8Array (a Buffer would not survive VS Code serialization)');
    await s.client.run(s.model, s.inputs);
    const second = s.sent[1];
    assert.ok(second.type === 'predictRun' && second.model.byteLength === 0, 'the page keeps the model');
    // A page reload we did not hear of: it has no model, says so, and gets the bytes again.
    s.newPage();
    const again = await s.client.run(s.model, s.inputs);
    assert.ok(again.ok, again.ok ? '' : again.error.message);
    const [a, b] = s.sent.slice(2);
    assert.ok(a.type === 'predictRun' && a.model.byteLength === 0 && b.type === 'predictRun' && b.model.byteLength > 0);
  } finally {
    await s.webviewRuntime.dispose();
  }
});

test('webview runtime client: cancellation and a page that goes away end the run at once', async () => {
  const s = await setup();
  try {
    s.page.drop = true;
    const ctl = new AbortController();
    const pending = s.client.run(s.model, s.inputs, { signal: ctl.signal });
    await new Promise((r) => setImmediate(r));
    ctl.abort();
    const r = await pending;
    assert.ok(!r.ok && r.error.code === 'cancelled');
    assert.ok(s.sent.some((m) => m.type === 'predictCancel'), 'the page is told to cancel');
    const lost = s.client.run(s.model, s.inputs);
    await new Promise((r) => setImmediate(r));
    s.client.reset('the preview was hidden');
    const l = await lost;
    assert.ok(!l.ok && l.error.code === 'unavailable' && l.error.message === 'the preview was hidden');
  } finally {
    await s.webviewRuntime.dispose();
  }
});
