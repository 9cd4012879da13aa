import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runInBrowser } from './harness';

test('FLARE engine in Chromium WebGPU matches PyTorch y.npy and the CPU reference', async (t) => {
  const r = await runInBrowser<{ webgpu: boolean; refused?: string; architecture?: string; n?: number; refMaxAbs?: number; randMaxAbs?: number; outLen?: number }>(
    'test/browser/pages/engine.page.ts', { timeoutMs: 600_000 });
  assert.equal(r.webgpu, true, 'WebGPU adapter');
  assert.equal(r.refused, undefined);
  t.diagnostic(`${r.architecture}: reference max abs ${r.refMaxAbs}, random config max abs ${r.randMaxAbs}`);
  assert.equal(r.n, 2000);
  assert.equal(r.outLen, 8000);
  assert.ok(r.refMaxAbs! < 1e-5, `reference max abs ${r.refMaxAbs}`);
  assert.ok(r.randMaxAbs! < 1e-4, `random config max abs ${r.randMaxAbs}`);
});
