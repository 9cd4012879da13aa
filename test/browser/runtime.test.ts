import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runInBrowser } from './harness';

interface Row { backend?: string; maxAbs?: number; error?: string; adapter?: string | null }
interface Result { crossOriginIsolated: boolean; wasm: Row; webgpu: Row; afterLoss?: { backend?: string; notes: string[]; error?: string } }

test('runtime in Chromium: reference model to 1e-5 on wasm and WebGPU; device loss falls back to wasm', async () => {
  const r = await runInBrowser<Result>('test/browser/pages/runtime.page.ts', { timeoutMs: 600_000 });
  assert.equal(r.crossOriginIsolated, false, 'like a webview: not isolated, single-threaded wasm');
  assert.equal(r.wasm.error, undefined, r.wasm.error);
  assert.ok((r.wasm.maxAbs ?? 1) < 1e-5, `wasm max abs ${r.wasm.maxAbs}`);
  assert.equal(r.webgpu.error, undefined, r.webgpu.error);
  assert.equal(r.webgpu.backend, 'webgpu');
  assert.equal(r.webgpu.adapter, 'swiftshader');
  assert.ok((r.webgpu.maxAbs ?? 1) < 1e-5, `webgpu max abs ${r.webgpu.maxAbs}`);
  assert.equal(r.afterLoss?.backend, 'wasm', JSON.stringify(r.afterLoss));
  assert.match(r.afterLoss?.notes.join(' ') ?? '', /GPU device lost.*falling back to wasm/);
});
