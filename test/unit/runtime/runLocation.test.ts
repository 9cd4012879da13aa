// Where a prediction of a file with an open preview runs (extension/core/runtime/runLocation.ts).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runInWebview } from '../../../extension/core/runtime/runLocation';

test('auto runs in the webview only on a hardware WebGPU adapter; a named back end always runs there', () => {
  const hardware = { webgpu: true, isFallbackAdapter: false };
  const software = { webgpu: true, isFallbackAdapter: true };
  const none = { webgpu: false };
  assert.equal(runInWebview('auto', hardware), true);
  assert.equal(runInWebview('auto', { webgpu: true }), true, 'an adapter that does not say it is a fallback counts as hardware');
  assert.equal(runInWebview('auto', software), false, 'SwiftShader: the host has threaded wasm');
  assert.equal(runInWebview('auto', none), false);
  assert.equal(runInWebview('auto', undefined), false, 'a page that did not answer the probe');
  for (const named of ['wasm', 'webgpu', 'engine'] as const) {
    for (const c of [hardware, software, none, undefined]) assert.equal(runInWebview(named, c), true, `${named} is a back end of the webview's runtime`);
  }
});
