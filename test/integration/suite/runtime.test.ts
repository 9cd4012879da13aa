import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { webviewHtml, webviewRoots } from '../../../extension/host/webviewHtml';
import { parseWebviewToHost, type WebviewToHost } from '../../../extension/core/protocol/messages';
import { readNpy, toFloat32 } from '../../../extension/core/runtime/npy';

const EXT_ID = 'flare-sim.flare-vscode';
type Result = Extract<WebviewToHost, { type: 'predictResult' | 'predictError' }>;

describe('FLARE runtime inside a real VS Code webview', function () {
  this.timeout(600_000);
  let panel: vscode.WebviewPanel | undefined;
  const waiters = new Map<number, (m: Result) => void>();
  const progress: string[] = [];

  before(async () => {
    const ext = vscode.extensions.getExtension(EXT_ID);
    assert.ok(ext);
    panel = vscode.window.createWebviewPanel('flare.runtimeTest', 'FLARE runtime test', vscode.ViewColumn.One, { enableScripts: true, localResourceRoots: webviewRoots(ext.extensionUri) });
    const ready = new Promise<void>((resolve) => {
      panel?.webview.onDidReceiveMessage((raw: unknown) => {
        const m = parseWebviewToHost(raw);
        if (!m) return;
        if (m.type === 'ready') resolve();
        else if (m.type === 'predictProgress') progress.push(m.stage);
        else if (m.type === 'predictResult' || m.type === 'predictError') waiters.get(m.requestId)?.(m);
      });
    });
    panel.webview.html = webviewHtml(panel.webview, ext.extensionUri, 'preview', 'FLARE runtime test');
    await ready;
  });

  after(() => panel?.dispose());

  const ref = path.resolve(vscode.extensions.getExtension(EXT_ID)?.extensionPath ?? '.', '..', 'shared', 'reference');
  let id = 0;
  function run(backend: 'wasm' | 'webgpu'): Promise<Result> {
    const requestId = ++id;
    const x = readNpy(fs.readFileSync(path.join(ref, 'x.npy')));
    assert.ok(x.ok);
    const model = new Uint8Array(fs.readFileSync(path.join(ref, 'flare_small.onnx')));
    const done = new Promise<Result>((resolve) => waiters.set(requestId, resolve));
    void panel?.webview.postMessage({ type: 'predictRun', requestId, key: 'flare_small', model, inputs: [{ name: 'x', data: toFloat32(x.array), dims: x.array.shape }], backend });
    return done;
  }

  for (const backend of ['wasm', 'webgpu'] as const) {
    it(`reproduces the PyTorch output to 1e-5 on ${backend}`, async () => {
      const r = await run(backend);
      assert.equal(r.type, 'predictResult', r.type === 'predictError' ? r.message : '');
      if (r.type !== 'predictResult') return;
      assert.equal(r.backend, backend);
      if (backend === 'webgpu') assert.ok(r.adapter, 'adapter reported');
      const y = readNpy(fs.readFileSync(path.join(ref, 'y.npy')));
      assert.ok(y.ok);
      const golden = toFloat32(y.array);
      const out = r.outputs.find((o) => o.name === 'y');
      assert.ok(out);
      assert.deepEqual([...out.dims], [1, 2000, 4]);
      let maxAbs = 0;
      for (let i = 0; i < golden.length; i++) maxAbs = Math.max(maxAbs, Math.abs(out.data[i] - golden[i]));
      assert.ok(maxAbs < 1e-5, `max abs error ${maxAbs}`);
      assert.ok(progress.includes('run') && progress.includes('done'), `progress: ${progress.join(',')}`);
    });
  }
});
