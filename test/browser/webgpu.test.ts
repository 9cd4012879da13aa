import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runInBrowser } from './harness';

test('headless Chromium gives a WebGPU adapter and computes on it', async () => {
  const r = await runInBrowser<{ webgpu: boolean; y0?: number; y999?: number; architecture?: string }>('test/browser/pages/webgpu-probe.page.ts');
  assert.equal(r.webgpu, true, 'WebGPU adapter (run Chromium with --enable-unsafe-webgpu)');
  assert.equal(r.y0, 1);
  assert.equal(r.y999, 1999);
});
