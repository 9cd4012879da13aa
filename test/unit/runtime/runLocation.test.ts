// Where a prediction of a file with an open preview runs (extension/core/runtime/runLocation.ts).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { HOST_MAX_POINTS, runInWebview } from '../../../extension/core/runtime/runLocation';

test('auto runs in the webview on a hardware WebGPU adapter or for a deck too large to hold the host; a named back end always runs there', () => {
  const hardware = { webgpu: true, isFallbackAdapter: false };
  const software = { webgpu: true, isFallbackAdapter: true };
  const none = { webgpu: false };
  assert.equal(runInWebview('auto', hardware, 1000), true);
  assert.equal(runInWebview('auto', { webgpu: true }, 1000), true, 'an adapter that does not say it is a fallback counts as hardware');
  assert.equal(runInWebview('auto', software, 1000), false, 'SwiftShader: the host has threaded wasm');
  assert.equal(runInWebview('auto', none, HOST_MAX_POINTS), false);
  assert.equal(runInWebview('auto', undefined, 1000), false, 'a page that did not answer the probe');
  for (const named of ['wasm', 'webgpu', 'engine'] as const) {
    for (const c of [hardware, software, none, undefined]) assert.equal(runInWebview(named, c, 1000), true, `${named} is a back end of the webview's runtime`);
  }
  // wasm holds the host's thread while it runs: a large deck stays in the webview, where it blocks nothing
  assert.equal(runInWebview('auto', software, HOST_MAX_POINTS + 1), true);
  assert.equal(runInWebview('auto', undefined, 100_000), true);
});
